"""Who else has a unit's form open, so staff know before they collide: a hint, not a lock.

Kept in the database, so every worker and host sees the same. An open form sends a heartbeat
every 30 seconds (static/admin/presence.js) and a goodbye when it closes; someone whose form
sent nothing for two minutes is no longer shown. Without JavaScript the opening counts as the
only heartbeat, so the person is shown for two minutes after opening, with the time they did.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import OpenForm

GONE_AFTER = timedelta(minutes=2)


def note_open_form(root, user, *, heartbeat: bool = False) -> None:
    """The user opened the unit's form, or (heartbeat) still has it open."""
    now = timezone.now()
    defaults = {"seen_at": now} if heartbeat else {"seen_at": now, "opened_at": now}
    OpenForm.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(root),
        object_id=root.pk,
        user=user,
        defaults=defaults,
    )


def note_closed_form(root, user) -> None:
    OpenForm.objects.filter(
        content_type=ContentType.objects.get_for_model(root), object_id=root.pk, user=user
    ).delete()


def others_with_form_open(root, user) -> list[tuple[str, object]]:
    """Other staff with the unit's form open now, and when they opened it."""
    found = (
        OpenForm.objects.filter(
            content_type=ContentType.objects.get_for_model(root),
            object_id=root.pk,
            seen_at__gte=timezone.now() - GONE_AFTER,
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("opened_at")
    )
    return [(row.user.get_username(), row.opened_at) for row in found]
