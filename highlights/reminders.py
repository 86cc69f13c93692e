"""Publishers hear by email seven and two days before a column goes stale, once per threshold,
from the site itself: no cron job to set up, as with scheduled publishing (the same middleware
looks, at most every REMIND_EVERY_SECONDS per process)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import languages
from .addresses import absolute
from .columns import ColumnState, column_states
from .models import StalenessReminder
from .roles import PUBLISHER

logger = logging.getLogger(__name__)

DAYS_BEFORE = (7, 2)
REMIND_EVERY_SECONDS = 3600.0


def threshold(days_left: int | None) -> int | None:
    """The nearest threshold a column with `days_left` has reached, while it is not yet stale:
    a site that was not asked for a while sends the two-day reminder, not a late seven-day one."""
    if days_left is None or days_left < 0:
        return None
    return min((days for days in DAYS_BEFORE if days_left <= days), default=None)


def publishers() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(Q(groups__name=PUBLISHER) | Q(is_superuser=True)).distinct()
    return sorted(users.values_list("email", flat=True))


def reminder_text(state: ColumnState) -> tuple[str, str]:
    """The subject and body, in every language the site speaks, the source language first."""
    subjects, bodies = [], []
    add_item = f"admin:highlights_{state.column.model._meta.model_name}_add"
    for code in languages.codes():
        with translation.override(code):
            values = {
                "site": _("Xinjing Highlights"),
                "column": state.column,
                "days": state.days_left,
                "rule": state.column.fresh_within_days,
                "newest": state.newest.date().isoformat(),
            }
            subjects.append(
                _("%(site)s: the column “%(column)s” goes stale in %(days)d days") % values
            )
            bodies.append(
                _(
                    "The column “%(column)s” must have something new every %(rule)d days; its "
                    "newest item went out on %(newest)s. In %(days)d days an inspection would "
                    "call it stale. Publish something new: %(link)s"
                )
                % {**values, "link": absolute(reverse(add_item))}
            )
    return " / ".join(subjects), "\n\n".join(bodies)


def remind_due(now: datetime) -> int:
    """Send the reminders now due and not yet sent; return how many went out."""
    sent = 0
    for state in column_states(now):
        days_before = threshold(state.days_left)
        if days_before is None:
            continue
        subject, body = reminder_text(state)
        try:
            # The row first, in the same transaction as the mail: a second process finds it
            # taken; a mail server that fails undoes the row, and the next look tries again.
            with transaction.atomic():
                StalenessReminder.objects.create(
                    column=state.column, newest=state.newest, days_before=days_before
                )
                send_mail(subject, body, None, publishers())
        except IntegrityError:
            continue
        sent += 1
    return sent
