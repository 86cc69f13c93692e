"""Drafts of live content: staff edit a published unit without residents seeing it.

A unit is a review, or a keyword with its initiatives, figures, awards and photos. Its live
rows are what residents, the API, feeds, search and open data read. Editing a published unit
works like this (the design follows Wagtail's revisions: live rows are the published state, a
draft holds the whole unit serialised):

1. `editing()` opens a transaction, locks the unit's root and, inside a nested atomic block,
   applies the pending draft, so the admin's forms see (and build on) the unit as drafted.
2. The admin does its ordinary work: validate, save the form and its inlines, the images.
3. If that saved, the unit is serialised, the nested block is rolled back (live rows, history
   and cache bumps with it) and the serialised unit is kept as the draft.

`publish()` applies a draft to the live rows in one transaction and records their history;
`restore()` turns an earlier version into a draft. Units that are not published are edited
in place, as before: only their revision counter moves.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import get_history_manager_for_model

from .changes import RowChange, field_changes, row_label
from .models import Draft
from .publishing import Publishable
from .transfer import PreciseJSONSerializer

logger = logging.getLogger(__name__)

# Kept in the history in English, shown in the reader's language (history.HistoryEntry).
PUBLISH_REASON = gettext_noop("Published pending changes")
SCHEDULED_REASON = gettext_noop("Published pending changes as scheduled")
RESTORE_REASON = gettext_noop("Restored an earlier version")
DISCARD_REASON = gettext_noop("Discarded pending changes")


class DraftConflictError(Exception):
    """Publishing a draft would break a rule of the live rows, e.g. a slug taken meanwhile."""


@dataclass
class Edit:
    """One staff edit of a unit, as `editing()` hands it to the admin."""

    root: Publishable
    drafted: bool
    draft: Draft | None = None
    saved: bool = False


def serialize_unit(root: Publishable) -> str:
    fresh = type(root)._default_manager.get(pk=root.pk)
    return PreciseJSONSerializer().serialize([fresh, *fresh.unit_members()])


def pending_draft(root: Publishable) -> Draft | None:
    return Draft.objects.of(root).first()


def lock(root: Publishable) -> Publishable:
    """The root row, locked until the transaction ends, so a unit is written by one at a time."""
    return type(root)._default_manager.select_for_update().get(pk=root.pk)


@contextmanager
def editing(root: Publishable, user, *, write: bool):
    """Run an admin view on a unit: yields an Edit, whose `saved` the caller sets.

    For a unit that is not published the view works on the live rows. For a published one it
    works on the pending draft, and what it saved becomes the new draft; the live rows stay as
    they are. Render any lazy response inside the block: afterwards the draft is gone again.
    """
    with transaction.atomic():
        root = lock(root) if write else type(root)._default_manager.get(pk=root.pk)
        edit = Edit(root=root, drafted=root.edits_are_drafted)
        if not edit.drafted:
            yield edit
            if edit.saved:
                root.mark_revised(user)
            return
        data = None
        # A nested atomic block, rolled back on the way out: Django then also drops the
        # on-commit work (cache bumps) queued inside it.
        with transaction.atomic():
            edit.draft = pending_draft(root)
            if edit.draft is not None:
                apply(root, edit.draft.data)
            yield edit
            if edit.saved:
                data = serialize_unit(root)
            transaction.set_rollback(True)
        if data is not None:
            keep_ids_reserved(data)
            keep_draft(root, data, user)
            root.mark_revised(user)


def keep_draft(root: Publishable, data: str, user, restored_from: datetime | None = None) -> Draft:
    """Keep `data` as the unit's draft. A schedule is for the draft a publisher approved, so
    saving it again cancels the schedule."""
    draft, _created = Draft.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(root),
        object_id=root.pk,
        defaults={
            "data": data,
            "updated_by": user,
            "restored_from": restored_from,
            "publish_at": None,
            "scheduled_by": None,
            "schedule_problem": "",
        },
    )
    return draft


def keep_ids_reserved(data: str) -> None:
    """Keep the ids a draft gave its new rows from being handed out again.

    PostgreSQL sequences ignore rollbacks; SQLite's AUTOINCREMENT counter rolls back with the
    savepoint, so the next insert would take an id the draft still holds.
    """
    if connection.vendor != "sqlite":
        return
    highest: dict[str, int] = {}
    for row in json.loads(data):
        table = apps.get_model(row["model"])._meta.db_table
        highest[table] = max(highest.get(table, 0), row["pk"])
    with connection.cursor() as cursor:
        for table, pk in highest.items():
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [pk, table]
            )


def apply(root: Publishable, data: str) -> list[models.Model]:
    """Make the unit's live rows what `data` holds; returns the rows written.

    Runs inside the caller's transaction. Rows are written raw (no image processing, no
    history: the caller records what it means), rows the draft no longer has are deleted, and
    positions are parked past the highest first, so rows may swap places.
    """
    wanted = list(serializers.deserialize("json", data))
    keys = {(type(item.object), item.object.pk) for item in wanted}
    members = root.unit_members()
    for row in members:
        if (type(row), row.pk) not in keys:
            type(row)._default_manager.filter(pk=row.pk).delete()
    park_positions(wanted, members)
    written = []
    for item in wanted:
        row = item.object
        if type(row) is type(root) and row.pk == root.pk:
            for name in root.kept_when_publishing:
                attname = row._meta.get_field(name).attname
                setattr(row, attname, getattr(root, attname))
        item.save()
        written.append(row)
    return written


def park_positions(wanted: list, members: list[models.Model]) -> None:
    """Move the unit's rows past every position in use, so the draft's order can be written."""
    by_model: dict[type[models.Model], list[int]] = {}
    for row in members:
        by_model.setdefault(type(row), []).append(row.pk)
    for model, pks in by_model.items():
        positions = [row.position for row in members if type(row) is model]
        positions += [item.object.position for item in wanted if type(item.object) is model]
        model._default_manager.filter(pk__in=pks).update(
            position=F("position") + max(positions) + 1
        )


def publish(draft: Draft, user, reason: str = PUBLISH_REASON) -> None:
    """Apply the draft to the live rows and record their history, all in one transaction."""
    try:
        with transaction.atomic():
            root = lock(draft.root)
            # Added, removed and changed rows, and the root always: each publication is a
            # version of the unit to restore.
            changed = {(row.model, row.pk) for row in compare(root, draft.data)}
            changed.add((type(root), root.pk))
            started = timezone.now()
            written = apply(root, draft.data)
            record_history(
                [row for row in written if (type(row), row.pk) in changed],
                user,
                RESTORE_REASON if draft.restored_from else reason,
                started,
            )
            draft.delete()
    except IntegrityError as error:
        raise DraftConflictError(str(error)) from error


def record_history(rows: list[models.Model], user, reason: str, when: datetime) -> None:
    """History entries for rows written raw, dated when the change began: before the deletions
    it made, as an admin save records its root before its inlines (see version_moment)."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, objects in by_model.items():
        get_history_manager_for_model(model).bulk_history_create(
            objects,
            default_user=user,
            default_change_reason=reason,
            default_date=when,
            update=True,
        )


def discard(draft: Draft, user) -> None:
    """Drop the draft; the root's history notes who did, so the decision is on record."""
    with transaction.atomic():
        root = lock(draft.root)
        record_history([root], user, DISCARD_REASON, timezone.now())
        draft.delete()


def schedule(draft: Draft, when: datetime, user) -> None:
    draft.publish_at, draft.scheduled_by, draft.schedule_problem = when, user, ""
    draft.save(update_fields=["publish_at", "scheduled_by", "schedule_problem"])


def unschedule(draft: Draft) -> None:
    draft.publish_at = draft.scheduled_by = None
    draft.save(update_fields=["publish_at", "scheduled_by"])


def publish_due(now: datetime) -> datetime | None:
    """Publish every draft scheduled for `now` or earlier, as the publisher who scheduled it;
    returns when the next one is due. Costs one query when none is due.

    A draft that can no longer be published (a slug taken meanwhile) stays pending, its
    schedule cancelled and the reason kept for staff.
    """
    scheduled = Draft.objects.filter(publish_at__isnull=False).values_list("pk", "publish_at")
    upcoming = []
    for pk, when in scheduled:
        if when > now:
            upcoming.append(when)
            continue
        with transaction.atomic():
            # Another process may be publishing the same draft: the first to lock it does.
            draft = Draft.objects.select_for_update(skip_locked=True).due(now).filter(pk=pk).first()
            if draft is None:
                continue
            try:
                publish(draft, draft.scheduled_by, SCHEDULED_REASON)
            except DraftConflictError as error:
                logger.error("Scheduled publication of draft %s failed: %s", pk, error)
                draft.publish_at, draft.schedule_problem = None, str(error)
                draft.save(update_fields=["publish_at", "schedule_problem"])
    return min(upcoming, default=None)


# Comparing the live unit with a draft --------------------------------------------------------


def rows_of(data: str) -> dict[tuple[type[models.Model], int], dict]:
    return {(apps.get_model(row["model"]), row["pk"]): row["fields"] for row in json.loads(data)}


def compare(root: Publishable, data: str) -> list[RowChange]:
    """What publishing `data` would change, row by row and field by field, every language."""
    live = rows_of(serialize_unit(root))
    drafted = rows_of(data)
    changes = []
    for key in [*drafted, *(key for key in live if key not in drafted)]:
        model, pk = key
        old, new = live.get(key), drafted.get(key)
        label = row_label(model, new or old)
        if old is None:
            changes.append(RowChange(model, pk, label, "added", field_changes(model, {}, new)))
        elif new is None:
            changes.append(RowChange(model, pk, label, "removed"))
        else:
            kept = root.kept_when_publishing if key == (type(root), root.pk) else ()
            fields = field_changes(model, old, new, skipped=set(kept))
            if fields:
                changes.append(RowChange(model, pk, label, "changed", fields))
    return changes


def restore(root: Publishable, version, user) -> Draft | None:
    """Bring the whole unit back as it was at one of its root's history records: a draft for
    a published unit, the live rows otherwise. Returns the draft, if one was made."""
    data = unit_as_of(root, version_moment(version))
    with transaction.atomic():
        root = lock(root)
        if root.edits_are_drafted:
            draft = keep_draft(root, data, user, restored_from=version.history_date)
            root.mark_revised(user)
            return draft
        try:
            started = timezone.now()
            record_history(apply(root, data), user, RESTORE_REASON, started)
        except IntegrityError as error:
            raise DraftConflictError(str(error)) from error
        root.mark_revised(user)
        return None


def version_moment(version) -> datetime:
    """When the unit was as a root history record shows it: just before the root's next
    record. One admin save writes the root first and its inlines after it, so the record's
    own time would miss the rows saved with it."""
    following = (
        type(version)
        ._default_manager.filter(id=version.id, history_date__gt=version.history_date)
        .order_by("history_date")
        .first()
    )
    if following is None:
        return timezone.now()
    return following.history_date - timedelta(microseconds=1)


def unit_as_of(root: Publishable, when: datetime) -> str:
    """The unit serialised as its history says it was at `when` (the root as it is now if
    its history does not reach back that far)."""
    try:
        then = root.history.as_of(when)
    except ObjectDoesNotExist:
        then = root
    return PreciseJSONSerializer().serialize([then, *root.unit_members(as_of=when)])
