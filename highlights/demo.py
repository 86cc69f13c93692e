"""The demo: the 2023 review with the news and places it tells of, and its media (the drawn
covers copied into MEDIA_ROOT, with their renditions)."""

import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from .images import objects_with_images

DEMO_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"
# The review first: the news and places link to its keywords and initiatives.
DEMO_FIXTURES = ("xinjing_2023", "xinjing_2023_columns")


def install_demo_media(report: Callable[[str], None] = lambda message: None) -> int:
    """Copy any missing demo file and render images that have no renditions yet."""
    media_root = Path(settings.MEDIA_ROOT)
    for source in sorted(DEMO_MEDIA.rglob("*.jpg")):
        target = media_root / source.relative_to(DEMO_MEDIA)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    pending = objects_with_images(missing_renditions=True)
    for obj in pending:
        obj.regenerate_renditions()
        count = sum(len(getattr(obj, column)) for column in obj.image_fields.values())
        report(f"{obj}: {count} renditions")
    return len(pending)
