"""Create a large synthetic data set, both languages filled, to measure pages at scale."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from highlights import languages
from highlights.cache import renew_content_version
from highlights.models import (
    Award,
    AwardLevel,
    Figure,
    Initiative,
    Keyword,
    News,
    Place,
    Qualifier,
    Review,
)
from highlights.publishing import Status

LEVELS = [AwardLevel.NATIONAL, AwardLevel.MUNICIPAL, AwardLevel.DISTRICT, AwardLevel.OTHER]


def texts(field: str, source: str, translation: str) -> dict[str, str]:
    """A field's text in the source language and in the first translation language."""
    return {
        languages.column(field, languages.source_language()): source,
        languages.column(field, languages.translation_languages()[0]): translation,
    }


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
                **texts("title", f"记忆·新泾 {year}", f"Memories of Xinjing {year}"),
                **texts("subtitle", "年度回眸", "The year in review"),
                **texts(
                    "tagline",
                    f"{keywords}组关键词回眸{year}年",
                    f"{keywords} keywords look back on {year}",
                ),
                **texts(
                    "introduction",
                    "新泾镇的年度回眸，收录社区里的大事小情。" * 3,
                    "Xinjing Town's review of the year, large and small. " * 3,
                ),
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
                **texts("title", f"关键词{position}", f"Keyword {position}"),
                **texts("tagline", "同心同行", "Together"),
                **texts(
                    "summary",
                    f"{review.year}年第{position}组关键词的摘要，生境与社区。",
                    f"Keyword {position} of {review.year}: habitats and community.",
                ),
                **texts(
                    "body",
                    "我们聚焦居民对美好生活的新需求。\n\n" * 4,
                    "We focused on residents' hopes for a better life.\n\n" * 4,
                ),
            )
            for review in reviews
            for position in range(1, keywords + 1)
        )
        initiatives = Initiative.objects.bulk_create(
            Initiative(
                keyword=keyword,
                position=n,
                slug=f"initiative-{n}",
                **texts("name", f"举措{n}·党群服务", f"Initiative {n}: Party and public services"),
                **texts(
                    "description",
                    "由点及面形成服务带，延伸党群服务工作触角。",
                    "From single points to a whole belt of services.",
                ),
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
                **texts("label", f"服务项目{n}", f"service projects {n}"),
                value=Decimal(n * 7 + keyword.position),
                **texts("unit", "个", ""),
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
                **texts("name", f"优秀案例{n}", f"Outstanding case {n}"),
                **texts(
                    "recipient",
                    "绿八居民区党总支",
                    "General Party Branch of the Lüba Residents' Area",
                ),
                level=LEVELS[n % len(LEVELS)],
                **texts("awarded_by", "社会治理创新实践", "Social Governance Innovation Practice"),
                **texts("rank", "银奖", "Silver Award"),
                year=keyword.review.year,
            )
            for keyword in keyword_rows
            for n in range(1, items + 1)
        )
        # A story a week for every year, and a place per keyword, in the columns beside them.
        News.objects.bulk_create(
            News(
                slug=f"story-{review.year}-{week}",
                status=Status.PUBLISHED,
                publish_at=timezone.make_aware(datetime(review.year, 1, 2, 9))
                + timedelta(weeks=week),
                **texts("title", f"社区动态{review.year}第{week}周", f"Community news {week}"),
                **texts(
                    "body",
                    "居民区举办邻里活动，服务带延伸党群服务工作触角。\n\n" * 3,
                    "A neighbourhood event in the residents' area.\n\n" * 3,
                ),
            )
            for review in reviews
            for week in range(52)
        )
        Place.objects.bulk_create(
            Place(
                slug=f"place-{keyword.pk}",
                status=Status.PUBLISHED,
                publish_at=published,
                **texts("name", f"党群服务站{keyword.pk}", f"Service station {keyword.pk}"),
                **texts("address", f"仙霞路{keyword.pk}号", f"{keyword.pk} Xianxia Road"),
            )
            for keyword in keyword_rows
        )
        # Bulk inserts send no signals: tell the page cache itself.
        renew_content_version()
        total = len(reviews) * (1 + 52 + keywords * (2 + 3 * items))
        self.stdout.write(
            self.style.SUCCESS(f"Created {len(reviews)} reviews and {total} rows in all.")
        )
