"""Create a large synthetic data set, both languages filled, to measure pages at scale."""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from highlights.cache import bump_content_version
from highlights.models import (
    Award,
    AwardLevel,
    Figure,
    Initiative,
    Keyword,
    Qualifier,
    Review,
    Status,
)

LEVELS = [AwardLevel.NATIONAL, AwardLevel.MUNICIPAL, AwardLevel.DISTRICT, AwardLevel.OTHER]


class Command(BaseCommand):
    help = "Bulk-create synthetic reviews (default 20 years × 30 keywords × 20 of each child)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=int, default=20)
        parser.add_argument("--start-year", type=int, default=2000)
        parser.add_argument("--keywords", type=int, default=30)
        parser.add_argument(
            "--items", type=int, default=20, help="initiatives, figures and awards per keyword"
        )

    @transaction.atomic
    def handle(
        self, *args, years: int, start_year: int, keywords: int, items: int, **options
    ) -> None:
        published = timezone.now() - timedelta(days=1)
        existing = set(Review.objects.values_list("year", flat=True))
        wanted = [year for year in range(start_year, start_year + years) if year not in existing]
        reviews = Review.objects.bulk_create(
            Review(
                year=year,
                status=Status.PUBLISHED,
                publish_at=published,
                title_zh_hans=f"记忆·新泾 {year}",
                title_en=f"Memories of Xinjing {year}",
                subtitle_zh_hans="年度回眸",
                subtitle_en="The year in review",
                tagline_zh_hans=f"{keywords}组关键词回眸{year}年",
                tagline_en=f"{keywords} keywords look back on {year}",
                introduction_zh_hans="新泾镇的年度回眸，收录社区里的大事小情。" * 3,
                introduction_en="Xinjing Town's review of the year, large and small. " * 3,
            )
            for year in wanted
        )
        keyword_rows = Keyword.objects.bulk_create(
            Keyword(
                review=review,
                position=position,
                slug=f"keyword-{position}",
                status=Status.PUBLISHED,
                publish_at=published,
                title_zh_hans=f"关键词{position}",
                title_en=f"Keyword {position}",
                tagline_zh_hans="同心同行",
                tagline_en="Together",
                summary_zh_hans=f"{review.year}年第{position}组关键词的摘要，生境与社区。",
                summary_en=f"Keyword {position} of {review.year}: habitats and community.",
                body_zh_hans="我们聚焦居民对美好生活的新需求。\n\n" * 4,
                body_en="We focused on residents' hopes for a better life.\n\n" * 4,
            )
            for review in reviews
            for position in range(1, keywords + 1)
        )
        initiatives = Initiative.objects.bulk_create(
            Initiative(
                keyword=keyword,
                position=n,
                slug=f"initiative-{n}",
                name_zh_hans=f"举措{n}·党群服务",
                name_en=f"Initiative {n}: Party and public services",
                description_zh_hans="由点及面形成服务带，延伸党群服务工作触角。",
                description_en="From single points to a whole belt of services.",
            )
            for keyword in keyword_rows
            for n in range(1, items + 1)
        )
        by_keyword = {}
        for initiative in initiatives:
            by_keyword.setdefault(initiative.keyword_id, []).append(initiative)
        Figure.objects.bulk_create(
            Figure(
                keyword=keyword,
                initiative=by_keyword[keyword.pk][n - 1],
                position=n,
                label_zh_hans=f"服务项目{n}",
                label_en=f"service projects {n}",
                value=Decimal(n * 7 + keyword.position),
                unit_zh_hans="个",
                unit_en="",
                qualifier=Qualifier.MORE_THAN if n % 5 == 0 else Qualifier.EXACT,
                indicator=f"service-projects-{n}",
            )
            for keyword in keyword_rows
            for n in range(1, items + 1)
        )
        Award.objects.bulk_create(
            Award(
                keyword=keyword,
                position=n,
                name_zh_hans=f"优秀案例{n}",
                name_en=f"Outstanding case {n}",
                recipient_zh_hans="绿八居民区党总支",
                recipient_en="General Party Branch of the Lüba Residents' Area",
                level=LEVELS[n % len(LEVELS)],
                awarded_by_zh_hans="社会治理创新实践",
                awarded_by_en="Social Governance Innovation Practice",
                rank_zh_hans="银奖",
                rank_en="Silver Award",
                year=keyword.review.year,
            )
            for keyword in keyword_rows
            for n in range(1, items + 1)
        )
        # Bulk inserts send no signals: tell the page cache itself.
        bump_content_version()
        total = len(reviews) * (1 + keywords * (1 + 3 * items))
        self.stdout.write(
            self.style.SUCCESS(f"Created {len(reviews)} reviews and {total} rows in all.")
        )
