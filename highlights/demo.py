"""The demo's media: copy the drawn covers into MEDIA_ROOT and make their renditions."""

import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from .models import Keyword, Review

DEMO_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"


def install_demo_media(report: Callable[[str], None] = lambda message: None) -> int:
    """Copy any missing demo file and render covers that have no renditions yet."""
    media_root = Path(settings.MEDIA_ROOT)
    for source in sorted(DEMO_MEDIA.rglob("*.jpg")):
        target = media_root / source.relative_to(DEMO_MEDIA)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    rendered = 0
    for model in (Review, Keyword):
        for obj in model.objects.exclude(cover="").filter(cover_renditions=[]):
            obj.regenerate_renditions()
            rendered += 1
            report(f"{obj}: {len(obj.cover_renditions)} renditions")
    return rendered
