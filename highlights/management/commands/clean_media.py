"""Remove uploaded images and renditions that nothing refers to any more."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from highlights.images import referenced_files, stored_files


class Command(BaseCommand):
    help = (
        "Delete stored images and renditions that no live row, historical version or revision "
        "refers to. Replacing or deleting an image never removes its file, so that any "
        "revision can be restored; run this to reclaim the space."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted, delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        unreferenced = sorted(stored_files() - referenced_files())
        for name in unreferenced:
            if not dry_run:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(unreferenced)} unreferenced file(s)."))
