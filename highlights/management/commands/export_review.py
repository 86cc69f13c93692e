"""manage.py export_review YEAR [--output FILE]: one self-contained archive of a review."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from highlights.models import Review
from highlights.transfer import export_review


class Command(BaseCommand):
    help = "Write a review (content and media) to a zip archive that import_review can load."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--output", type=Path, help="Archive path (default: review-YEAR.zip)")

    def handle(self, *args, year: int, output: Path | None, **options) -> None:
        path = output or Path(f"review-{year}.zip")
        try:
            count = export_review(year, path)
        except Review.DoesNotExist as error:
            raise CommandError(f"There is no {year} review.") from error
        self.stdout.write(self.style.SUCCESS(f"Exported {count} objects to {path}"))
