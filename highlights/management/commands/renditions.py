"""Rebuild every image's renditions, e.g. after IMAGE_RENDITION_WIDTHS changed."""

from django.core.management.base import BaseCommand

from highlights.images import objects_with_images


class Command(BaseCommand):
    help = "Regenerate the responsive renditions of every cover and photo, reporting progress."

    def handle(self, *args, **options) -> None:
        images = objects_with_images()
        total = len(images)
        for number, obj in enumerate(images, start=1):
            obj.regenerate_renditions()
            self.stdout.write(f"[{number}/{total}] {type(obj).__name__} {obj}")
        self.stdout.write(self.style.SUCCESS(f"Regenerated renditions for {total} images."))
