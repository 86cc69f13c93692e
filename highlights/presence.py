"""Who else has a unit's form open, so staff know before they collide: a hint, not a lock.

Kept in the database, so every worker and host sees the same. An open form sends a heartbeat
every 30 seconds (static/admin/presence.js) and a goodbye when it closes; someone whose form
sent nothing for two minutes is no longer shown. Without JavaScript the opening counts as the
only heartbeat, so the person is shown for two minutes after opening, with the time they did.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import OpenForm

GONE_AFTER = timedelta(minutes=2)


def open_forms(root, user):
    return OpenForm.objects.filter(
        content_type=ContentType.objects.get_for_model(root), object_id=root.pk, user=user
    )


def note_open_form(root, user) -> str:
    """The user opened the unit's form; returns the name of this opening, which the page's
    heartbeats and goodbye carry."""
    now = timezone.now()
    page = secrets.token_hex(8)
    OpenForm.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(root),
        object_id=root.pk,
        user=user,
        defaults={"seen_at": now, "opened_at": now, "page": page},
    )
    return page


def note_heartbeat(root, user) -> None:
    """The user still has the form open (in this page or a newer one)."""
    open_forms(root, user).update(seen_at=timezone.now())


def note_closed_form(root, user, page: str) -> None:
    """The page closed; a newer opening of the form (a reload) stays."""
    open_forms(root, user).filter(page=page).delete()


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
