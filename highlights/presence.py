"""Who else has a unit's change form open, so staff know before they collide.

Kept in the cache for a quarter of an hour per opening: a hint, not a lock. With the cache
down nobody is shown, and editing goes on; the revision check still refuses stale saves.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .cache import keep_quietly, read_quietly

OPEN_FORM_SECONDS = 15 * 60


def presence_key(root) -> str:
    return f"open-form:{root._meta.label_lower}:{root.pk}"


def note_open_form(root, user) -> None:
    now = timezone.now()
    openers = {
        name: opened
        for name, opened in (read_quietly(presence_key(root)) or {}).items()
        if (now - opened).total_seconds() < OPEN_FORM_SECONDS
    }
    openers[user.get_username()] = now
    keep_quietly(presence_key(root), openers, OPEN_FORM_SECONDS)


def others_with_form_open(root, user) -> list[tuple[str, datetime]]:
    """Other staff who opened the unit's form in the last quarter hour, and when."""
    now = timezone.now()
    return sorted(
        (name, opened)
        for name, opened in (read_quietly(presence_key(root)) or {}).items()
        if name != user.get_username() and (now - opened).total_seconds() < OPEN_FORM_SECONDS
    )
