"""Revisions of units: every save of a unit is a row of its own.

A unit is a root (a review, a keyword) and the rows it declares as its members
(`Publishable.unit_members`). Each save, publication, schedule, restore, discard and import is a
`Revision`: the whole unit serialised, who, when, what kind, and the revision it was based on.
The design follows Wagtail's revisions (`RevisionMixin`, `DraftStateMixin`), for a whole unit
rather than one page:

- the live rows are the unit's `live_revision` while it is published, its `latest_revision`
  otherwise; pending changes are a published unit's latest revision when that is not the live
  one;
- history is the list of revisions, nothing inferred from timestamps; restore writes a new
  revision with an older one's content;
- a schedule is a publisher's approval of one revision: later saves are newer pending changes
  and leave it alone.

Every edit takes one path, `editing()`, whatever the unit's state: the admin's forms run on the
revision they were opened at, inside a savepoint that is rolled back; what they saved is
merged three ways with whatever colleagues saved since (`merge()`), and the result becomes the
new revision, written to the live rows unless the unit is published. A field both sides
changed is never decided here: that save is kept apart (`Revision.Kind.UNMERGED`) until its
author chooses, field by field.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone, translation

from . import languages
from .changes import RowChange, RowKey, compare, is_empty, rows_of
from .images import ImageRenditionsMixin
from .models import Revision
from .precise_json import PreciseJSONSerializer
from .publishing import Publishable, Status, unit_models
from .signals import content_changed

logger = logging.getLogger(__name__)

Kind = Revision.Kind
# Columns that record when a row was written, not what anyone wrote: never a conflict.
TIMESTAMPS = ("created_at", "updated_at")


class RevisionConflictError(Exception):
    """Writing a revision to the live rows would break one of their rules, e.g. a slug taken
    meanwhile by another row."""


# Reading and writing a unit ------------------------------------------------------------------


def serialize_unit(root: Publishable) -> str:
    """The unit's live rows, root first, without the root's revision pointers. A translated
    field's own column mirrors the active language's: always the source language's here."""
    with translation.override(languages.source_language()):
        fresh = type(root)._default_manager.get(pk=root.pk)
        rows = json.loads(PreciseJSONSerializer().serialize([fresh, *fresh.unit_members()]))
    for name in ("live_revision", "latest_revision"):
        rows[0]["fields"].pop(name, None)
    return json.dumps(rows, ensure_ascii=False)


def data_of(rows: dict[RowKey, dict]) -> str:
    return json.dumps(
        [{"model": model, "pk": pk, "fields": fields} for (model, pk), fields in rows.items()],
        ensure_ascii=False,
    )


def lock(root: Publishable) -> Publishable:
    """The root row, locked until the transaction ends, so a unit is written by one at a time."""
    return type(root)._default_manager.select_for_update().get(pk=root.pk)


def apply(root: Publishable, data: str, *, publication: bool = False) -> None:
    """Make the unit's live rows what `data` holds, inside the caller's transaction.

    Rows are written raw (no image processing: the data already names the renditions), rows
    the data no longer has are deleted, and positions are parked past the highest first, so
    rows may swap places. The root keeps its place and bookkeeping; it takes the data's
    publication decision only if `publication`.
    """
    with translation.override(languages.source_language()):
        wanted = list(serializers.deserialize("json", data))
    keys = {(type(item.object), item.object.pk) for item in wanted}
    members = root.unit_members()
    for row in members:
        if (type(row), row.pk) not in keys:
            type(row)._default_manager.filter(pk=row.pk).delete()
    park_positions(wanted, members)
    kept = [
        name
        for name in (*root.kept_when_applying, *(() if publication else root.publication_fields))
        if name in {model_field.name for model_field in root._meta.fields}
    ]
    for item in wanted:
        row = item.object
        if type(row) is type(root) and row.pk == root.pk:
            for name in kept:
                attname = row._meta.get_field(name).attname
                setattr(row, attname, getattr(root, attname))
        item.save()
        if isinstance(row, ImageRenditionsMixin):
            row.ensure_renditions()


def park_positions(wanted: list, members: list[models.Model]) -> None:
    """Move the unit's rows past every position in use, so the data's order can be written."""
    by_model: dict[type[models.Model], list[int]] = {}
    for row in members:
        # Only rows ordered by position (a notice's documents keep no order of their own).
        if hasattr(row, "position"):
            by_model.setdefault(type(row), []).append(row.pk)
    for model, pks in by_model.items():
        positions = [row.position for row in members if type(row) is model]
        positions += [item.object.position for item in wanted if type(item.object) is model]
        model._default_manager.filter(pk__in=pks).update(
            position=F("position") + max(positions) + 1
        )


def keep_ids_reserved(data: str) -> None:
    """Keep the ids a revision gave its new rows from being handed out again.

    PostgreSQL sequences ignore rollbacks; SQLite's AUTOINCREMENT counter rolls back with the
    savepoint, so the next insert would take an id the revision still holds.
    """
    if connection.vendor != "sqlite":
        return
    highest: dict[str, int] = {}
    for model, pk in rows_of(data):
        table = apps.get_model(model)._meta.db_table
        highest[table] = max(highest.get(table, 0), pk)
    with connection.cursor() as cursor:
        for table, pk in highest.items():
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [pk, table]
            )


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids for rows of `model` that this site will never hand out to another row: for
    rows only a revision holds (one carried over from another site), which a restore may
    write back."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        highest = max(
            model._default_manager.aggregate(highest=models.Max("pk"))["highest"] or 0,
            *(
                seq
                for (seq,) in cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [table]
                ).fetchall()
            ),
        )
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [highest + count, table]
        )
        return list(range(highest + 1, highest + count + 1))


# Recording revisions -------------------------------------------------------------------------


def rows_revision_id(root: Publishable) -> int | None:
    """The revision the live rows hold."""
    return root.live_revision_id if root.saves_are_pending else root.latest_revision_id


def record(
    root: Publishable,
    kind: str,
    user,
    *,
    data: str | None = None,
    based_on: Revision | None = None,
    **extra,
) -> Revision:
    """A new revision of the unit. Without `data` it is the live rows as they are now, and it
    becomes the live revision if the unit is published; with `data` it is pending changes of a
    published unit or, for an unpublished one, what the caller has just written."""
    root.refresh_from_db(fields=["status", "live_revision", "latest_revision"])
    rows_written = data is None
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(root),
        object_id=root.pk,
        kind=kind,
        data=serialize_unit(root) if rows_written else data,
        based_on=based_on,
        user=user if user is not None and user.is_authenticated else None,
        **extra,
    )
    if kind != Kind.UNMERGED:
        root.latest_revision = revision
        if rows_written:
            root.live_revision = revision if root.status == Status.PUBLISHED else None
        type(root)._default_manager.filter(pk=root.pk).update(
            latest_revision=root.latest_revision, live_revision=root.live_revision
        )
    return revision


def latest_revision(root: Publishable) -> Revision:
    """The unit's latest revision; a unit that has none yet (made in bulk, by a fixture, before
    revisions existed) gets its first now, as it is."""
    if root.latest_revision_id is not None:
        return Revision.objects.get(pk=root.latest_revision_id)
    with transaction.atomic():
        root = lock(root)
        if root.latest_revision_id is not None:
            return Revision.objects.get(pk=root.latest_revision_id)
        return record(root, Kind.CREATED, None)


def import_revision(root: Publishable) -> Revision | None:
    """After an archive was loaded into the unit's live rows: an "imported" revision of them,
    unless the revision they were already is the same (importing twice adds nothing). Pending
    changes stay pending."""
    root = lock(root)
    before = Revision.objects.filter(pk=rows_revision_id(root)).first()
    if before is not None and before.data == serialize_unit(root):
        return None
    pending = root.latest_revision_id if root.has_pending_changes else None
    revision = record(root, Kind.IMPORTED, None)
    if pending is not None:
        type(root)._default_manager.filter(pk=root.pk).update(latest_revision=pending)
    return revision


def record_missing() -> int:
    """Give every unit without a revision its first: after rows were made in bulk or loaded."""
    count = 0
    for unit_model in unit_models():
        for root in unit_model._default_manager.filter(latest_revision__isnull=True):
            latest_revision(root)
            count += 1
    return count


# Editing -----------------------------------------------------------------------------------


@dataclass
class Edit:
    """One staff edit of a unit, as `editing()` hands it to the admin; the caller sets `saved`
    once its forms have saved."""

    root: Publishable
    latest: Revision
    base: Revision
    saved: bool = False
    revision: Revision | None = None

    @property
    def saves_are_pending(self) -> bool:
        return self.root.saves_are_pending

    @property
    def unmerged(self) -> bool:
        return self.revision is not None and self.revision.kind == Kind.UNMERGED

    @property
    def pending(self) -> Revision | None:
        """The pending changes the form shows, if the unit is published and has some."""
        if self.saves_are_pending and self.latest.pk != self.root.live_revision_id:
            return self.latest
        return None


def opened_revision(root: Publishable, opened_at: str | None, latest: Revision) -> Revision:
    """The revision a form was opened at, from the form's own field; the latest if the field is
    missing or names no revision of this unit."""
    if opened_at and opened_at.isascii() and opened_at.isdigit() and opened_at != str(latest.pk):
        found = Revision.objects.of(root).exclude(kind=Kind.UNMERGED).filter(pk=opened_at).first()
        if found is not None:
            return found
    return latest


def start_edit(root: Publishable, opened_at: str | None, *, write: bool) -> Edit:
    """The unit as an edit finds it: its row (locked if it will write), latest revision and
    the revision the form was opened at."""
    latest = latest_revision(root)
    root = lock(root) if write else type(root)._default_manager.get(pk=root.pk)
    if write and root.latest_revision_id != latest.pk:
        latest = Revision.objects.get(pk=root.latest_revision_id)
    return Edit(root=root, latest=latest, base=opened_revision(root, opened_at, latest))


@contextmanager
def editing(root: Publishable, user, *, write: bool, opened_at: str | None = None):
    """Run an admin view on a unit as of the revision its form was opened at: yields an Edit.

    The view's writes are rolled back; if it saved, what it saved is merged with the unit's
    latest revision and recorded. Render any lazy response inside the block.

    A view that only reads, of rows that already are the revision it shows (a form opened on
    a unit with nothing pending), runs in no transaction: on SQLite every transaction takes
    the write lock as it begins (xinjing/settings.py), and staff opening forms would wait for
    one another's pages to be drawn.
    """
    edit = None if write else start_edit(root, opened_at, write=False)
    if edit is not None and edit.base.pk == rows_revision_id(edit.root):
        yield edit
        return
    with transaction.atomic():
        if edit is None:
            edit = start_edit(root, opened_at, write=True)
        root = edit.root
        yours = None
        # A nested atomic block, rolled back on the way out: Django then also drops the
        # on-commit work (cache bumps) queued inside it.
        with transaction.atomic():
            if edit.base.pk != rows_revision_id(root):
                apply(root, edit.base.data)
            yield edit
            if edit.saved:
                yours = serialize_unit(root)
            transaction.set_rollback(True)
        if yours is not None:
            keep_ids_reserved(yours)
            edit.revision = save(root, edit.base, yours, user)


def save(root: Publishable, base: Revision, yours: str, user) -> Revision:
    """Record `yours`, made from `base`, merged with what was saved since; a save that conflicts
    with a colleague's is kept apart, unmerged."""
    latest = Revision.objects.get(pk=root.latest_revision_id)
    merged = merge(base.data, latest.data, yours)
    if merged.conflicts:
        return record(root, Kind.UNMERGED, user, data=yours, based_on=base)
    return commit(root, merged.data, user, based_on=latest)


def commit(
    root: Publishable, data: str, user, *, based_on: Revision, kind: str = Kind.SAVED, **extra
) -> Revision:
    """`data` as the unit's newest revision: pending changes of a published unit, the live rows
    of an unpublished one."""
    if root.saves_are_pending:
        return record(root, kind, user, data=data, based_on=based_on, **extra)
    try:
        with transaction.atomic():
            apply(root, data, publication=kind == Kind.SAVED)
    except IntegrityError as error:
        raise RevisionConflictError(str(error)) from error
    root.refresh_from_db()
    return record(root, kind, user, based_on=based_on, **extra)


# Merging -----------------------------------------------------------------------------------


@dataclass
class Conflict:
    """A field (or, with `name` None, a whole row) that both sides changed differently."""

    key: RowKey
    name: str | None
    base: object
    theirs: object
    yours: object
    # The row as either side has it, to name it by.
    row: dict = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.key[0])

    @property
    def ident(self) -> str:
        return f"{self.key[0]}.{self.key[1]}.{self.name or ''}"


@dataclass
class Merged:
    data: str
    conflicts: list[Conflict] = field(default_factory=list)


def merge(base: str, theirs: str, yours: str, choices: dict[str, str] | None = None) -> Merged:
    """Three-way merge of a unit, per row (added, removed, changed), per field and so per
    language: what only one side changed is kept from that side. Where both changed the same
    field differently, `choices` (conflict ident → "theirs" or "yours") decides; without a
    choice it is a conflict, and theirs stands in the data meanwhile."""
    choices = choices or {}
    base_rows, their_rows, your_rows = rows_of(base), rows_of(theirs), rows_of(yours)
    merged: dict[RowKey, dict] = {}
    conflicts: list[Conflict] = []

    def chosen(conflict: Conflict, theirs_value, yours_value):
        choice = choices.get(conflict.ident)
        if choice is None:
            conflicts.append(conflict)
        return yours_value if choice == "yours" else theirs_value

    # Their order first (the unit as it is now), then rows only yours has.
    for key in [*their_rows, *(key for key in your_rows if key not in their_rows)]:
        b, t, y = base_rows.get(key), their_rows.get(key), your_rows.get(key)
        if t == y or b == y:
            row = t
        elif b == t:
            row = y
        elif t is None or y is None:
            # One side removed the row, the other changed it.
            row = chosen(Conflict(key, None, b, t, y, t or y), t, y)
        else:
            row = merge_fields(key, b or {}, t, y, chosen)
        if row is not None:
            merged[key] = row
    renumber_collisions(merged)
    return Merged(data_of(merged), conflicts)


def merge_fields(key: RowKey, base: dict, theirs: dict, yours: dict, chosen) -> dict:
    row = dict(theirs)
    mirrors = apps.get_model(key[0]).translated_fields
    for name in {*theirs, *yours} - set(mirrors):
        b, t, y = base.get(name), theirs.get(name), yours.get(name)
        if same(t, y) or same(b, y):
            continue
        if same(b, t) or name in TIMESTAMPS:
            row[name] = y
        else:
            row[name] = chosen(Conflict(key, name, b, t, y, theirs), t, y)
    for name in mirrors:
        row[name] = row.get(languages.column(name, languages.source_language()), row.get(name))
    return row


def same(one, other) -> bool:
    """Equal, or both empty: a translation never written (NULL) and one saved empty from a
    form ("") say the same, and are no change to merge or to quarrel over."""
    return one == other or (is_empty(one) and is_empty(other))


def renumber_collisions(rows: dict[RowKey, dict]) -> None:
    """Rows that both sides added at the same position take the next places, in order."""
    groups: dict[tuple, list[dict]] = {}
    for (model, _pk), fields in rows.items():
        if "position" not in fields:
            continue
        parent = tuple(
            (name, value)
            for name, value in sorted(fields.items())
            if name in ("review", "keyword", "initiative")
        )
        groups.setdefault((model, parent), []).append(fields)
    for group in groups.values():
        taken: set = set()
        for fields in sorted(group, key=lambda fields: fields["position"] or 0):
            if fields["position"] in taken:
                fields["position"] = max(taken) + 1
            taken.add(fields["position"])


def unmerged_conflicts(unmerged: Revision) -> tuple[Revision, Merged]:
    """What an unmerged save still conflicts with: the unit's latest revision, and the merge."""
    root = unmerged.root
    latest = latest_revision(root)
    base = unmerged.based_on or latest
    return latest, merge(base.data, latest.data, unmerged.data)


def resolve(unmerged: Revision, seen: Revision, choices: dict[str, str], user) -> Revision | None:
    """Merge an unmerged save with the choices its author made against `seen`, the latest
    revision they were shown. Returns the new revision; None if a choice is missing or someone
    saved again meanwhile, so that the author is shown the unit as it is now."""
    with transaction.atomic():
        root = lock(unmerged.root)
        if root.latest_revision_id != seen.pk:
            return None
        merged = merge((unmerged.based_on or seen).data, seen.data, unmerged.data, choices)
        if merged.conflicts:
            return None
        revision = commit(root, merged.data, user, based_on=seen)
        unmerged.merged_into = revision
        unmerged.save(update_fields=["merged_into"])
        return revision


# Publishing --------------------------------------------------------------------------------


def publish(revision: Revision, user) -> Revision:
    """Write a revision to the live rows of its published unit, in one transaction; the
    publication is a revision of its own, and the live one. Newer pending changes stay
    pending."""
    try:
        with transaction.atomic():
            root = lock(revision.root)
            latest_id = root.latest_revision_id
            apply(root, revision.data)
            published = record(root, Kind.PUBLISHED, user, based_on=revision)
            if latest_id not in (revision.pk, None):
                # Newer pending changes than the one published: they stay the latest.
                type(root)._default_manager.filter(pk=root.pk).update(latest_revision=latest_id)
            Revision.objects.of(root).scheduled().filter(
                created_at__lte=revision.created_at
            ).update(go_live_at=None)
            return published
    except IntegrityError as error:
        raise RevisionConflictError(str(error)) from error


def discard(root: Publishable, user) -> Revision:
    """Drop the pending changes: a revision with the live content, which the unit shows again."""
    with transaction.atomic():
        root = lock(root)
        return record(root, Kind.DISCARDED, user, based_on=root.latest_revision)


def schedule(root: Publishable, when: datetime, user) -> Revision:
    """Approve the unit's latest revision to go live at `when`: the approval is a revision of
    its own, and the one that will be published, whatever is saved after it."""
    with transaction.atomic():
        root = lock(root)
        latest = Revision.objects.get(pk=root.latest_revision_id)
        unschedule(root)
        return record(
            root, Kind.SCHEDULED, user, data=latest.data, based_on=latest, go_live_at=when
        )


def scheduled_revision(root: Publishable) -> Revision | None:
    return Revision.objects.of(root).scheduled().first()


def unschedule(root: Publishable) -> None:
    Revision.objects.of(root).scheduled().update(go_live_at=None)


def publish_due(now: datetime) -> datetime | None:
    """Publish every revision scheduled for `now` or earlier, as the publisher who approved it;
    returns when the next one is due. Costs one query when none is due.

    A revision that can no longer be published (a slug taken meanwhile) stays pending, its
    schedule cancelled and the reason kept for staff.
    """
    scheduled = Revision.objects.scheduled().values_list("pk", "go_live_at")
    upcoming = []
    for pk, when in scheduled:
        if when > now:
            upcoming.append(when)
            continue
        with transaction.atomic():
            # Another process may be publishing the same revision: the first to lock it does.
            revision = (
                Revision.objects.select_for_update(skip_locked=True).due(now).filter(pk=pk).first()
            )
            if revision is None:
                continue
            try:
                publish(revision, revision.user)
            except RevisionConflictError as error:
                logger.error("Scheduled publication of revision %s failed: %s", pk, error)
                revision.go_live_at, revision.schedule_problem = None, str(error)
                revision.save(update_fields=["go_live_at", "schedule_problem"])
    return min(upcoming, default=None)


def set_status(root: Publishable, status: str, user) -> Revision:
    """Publish or unpublish a whole unit (the list's actions). Unpublishing brings its pending
    changes, if any, into the rows, which an unpublished unit's rows always hold."""
    with transaction.atomic():
        latest = latest_revision(root)
        root = lock(root)
        pending = root.has_pending_changes
        type(root)._default_manager.filter(pk=root.pk).update(
            status=status, updated_at=timezone.now()
        )
        content_changed.send(sender=type(root), instance=root)  # an update sends no post_save
        root.refresh_from_db()
        if status == Status.PUBLISHED:
            return record(root, Kind.PUBLISHED, user, based_on=latest)
        if pending:
            apply(root, latest.data)
        return record(root, Kind.UNPUBLISHED, user, based_on=latest)


def restore(root: Publishable, revision: Revision, user) -> Revision:
    """Bring the whole unit back as one of its revisions holds it: pending changes of a
    published unit, the live rows of an unpublished one."""
    with transaction.atomic():
        root = lock(root)
        latest = Revision.objects.get(pk=root.latest_revision_id)
        return commit(
            root,
            revision.data,
            user,
            based_on=latest,
            kind=Kind.RESTORED,
            restored_from=revision,
        )


def units_with_pending_changes() -> list[tuple[Publishable, Revision]]:
    """Every published unit whose latest revision is not live, with that revision, newest
    change first."""
    found = [root for model in unit_models() for root in model.objects.with_pending_changes()]
    latest = Revision.objects.select_related("user").in_bulk(
        [root.latest_revision_id for root in found]
    )
    return sorted(
        ((root, latest[root.latest_revision_id]) for root in found),
        key=lambda pair: pair[1].created_at,
        reverse=True,
    )


# Comparing ---------------------------------------------------------------------------------


def pending_changes(root: Publishable) -> list[RowChange]:
    """What publishing the latest revision would change on the site."""
    latest = latest_revision(root)
    kept = {*root.kept_when_applying, *root.publication_fields}
    return compare(serialize_unit(root), latest.data, kept)
