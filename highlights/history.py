"""Who changed what and when: django-simple-history on every content model, and the history
page that reads it.

Registered when the app is ready, after modeltranslation has added the per-language columns
(it reads translation.py first, being earlier in INSTALLED_APPS), so that the historical models
record every language.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import simple_history
from django.apps import apps
from django.db import models
from django.utils.translation import gettext

from .changes import RowChange, field_changes, row_label

# A unit's save counter and pending drafts are bookkeeping, not content: the history of the
# rows they describe already says who changed what.
UNRECORDED_MODELS = {"Draft"}
UNRECORDED_FIELDS = ["revision", "revised_at", "revised_by"]


def register_history() -> None:
    for model in list(apps.get_app_config("highlights").get_models()):
        if model.__name__.startswith("Historical") or model.__name__ in UNRECORDED_MODELS:
            continue
        fields = {field.name for field in model._meta.fields}
        simple_history.register(
            model,
            app="highlights",
            excluded_fields=[name for name in UNRECORDED_FIELDS if name in fields],
        )


# The history page ------------------------------------------------------------------------------

# One admin save writes its root and then its inline rows, all within a moment.
SAME_SAVE = timedelta(seconds=2)


@dataclass
class HistoryEntry:
    """One save, publication, restore or discard: who, when, and every row it changed."""

    when: datetime
    user: object
    reason: str
    rows: list[RowChange] = field(default_factory=list)
    # The record of the page's own row, for its "this version" page (restore is there).
    version: models.Model | None = None

    @property
    def reason_label(self) -> str:
        return gettext(self.reason) if self.reason else ""


def recorded_values(record) -> dict:
    return {
        model_field.name: getattr(record, model_field.attname, None)
        for model_field in record.instance_type._meta.concrete_fields
    }


def row_change(record, previous) -> RowChange | None:
    """What one history record changed since the row's record before it (None: nothing)."""
    model = record.instance_type
    values = recorded_values(record)
    label = row_label(model, values)
    if record.history_type == "+":
        return RowChange(model, record.id, label, "added")
    if record.history_type == "-":
        return RowChange(model, record.id, label, "removed")
    if previous is None:
        # The row's first record: what came before was never recorded (e.g. the fixture).
        return RowChange(model, record.id, label, "changed")
    fields = field_changes(model, recorded_values(previous), values)
    return RowChange(model, record.id, label, "changed", fields) if fields else None


def history_entries(obj: models.Model) -> list[HistoryEntry]:
    """The row's history, newest first; for a review or keyword its whole unit's, each save
    one entry with its inline rows. Saves that changed nothing are left out."""
    own = list(obj.history.select_related("history_user"))
    records = sorted(
        [*own, *(obj.unit_history() if obj.unit_root is obj else [])],
        key=lambda record: record.history_date,
    )
    previous: dict[tuple, models.Model] = {}
    entries: list[HistoryEntry] = []
    for record in records:
        key = (record.instance_type, record.id)
        change = row_change(record, previous.get(key))
        previous[key] = record
        entry = entries[-1] if entries else None
        if (
            entry is None
            or entry.user != record.history_user
            or entry.reason != (record.history_change_reason or "")
            or record.history_date - entry.when > SAME_SAVE
        ):
            entry = HistoryEntry(
                record.history_date, record.history_user, record.history_change_reason or ""
            )
            entries.append(entry)
        if change is not None:
            entry.rows.append(change)
        if key == (type(obj), obj.pk):
            entry.version = record
    for entry in entries:
        # The page's own row first, then its inline rows in the order they were saved.
        entry.rows.sort(key=lambda row: row.model is not type(obj))
    return [entry for entry in reversed(entries) if entry.rows or entry.reason]
