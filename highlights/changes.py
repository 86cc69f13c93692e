"""What changed between two revisions of a unit, row by row, field by field and language by
language: for the pending-changes page (live rows against the latest revision), the history
(each revision against the one it was based on) and the merge page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from . import languages
from .publishing import local_minute

# Columns that say nothing a person wrote: left out of comparisons.
UNCOMPARED_FIELDS = {"created_at", "updated_at", "live_revision", "latest_revision"}
RowKey = tuple[str, int]


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class RowChange:
    model: type[models.Model]
    pk: int
    label: str
    kind: str  # "added", "removed" or "changed"
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """E.g. “initiative: 四学机制 (changed)”."""
        kind = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}[self.kind]
        return _("%(row)s (%(kind)s)") % {"row": self.label, "kind": kind}


def field_changes(
    model, old: dict, new: dict, skipped: set[str] = frozenset()
) -> list[FieldChange]:
    """One line per changed field and language; `old` and `new` map field names to values as
    a revision holds them. Empty and missing are the same: no line for "—" to "—"."""
    # A translated field's own column only mirrors the active language's; compare each
    # language's column instead.
    skipped = UNCOMPARED_FIELDS | set(model.translated_fields) | set(skipped)
    changes = []
    for name, value in new.items():
        if name in skipped or name.endswith(("_renditions", "_width", "_height")):
            continue
        before = old.get(name)
        if before != value and not (is_empty(before) and is_empty(value)):
            changes.append(
                FieldChange(
                    field_label(model, name),
                    readable_value(model, name, before),
                    readable_value(model, name, value),
                )
            )
    return changes


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


@dataclass
class StoredImage:
    """An image a revision names, shown as a thumbnail."""

    name: str

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


def readable_value(model, name: str, value) -> object:
    """A value as a revision holds it, as staff read it: a choice's label, a local time, a
    whole number without ".00", a related row by its name, an image as a thumbnail."""
    if is_empty(value):
        return ""
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return local_minute(moment) if moment else value
    if isinstance(model_field, models.DecimalField):
        try:
            return formats.number_format(Decimal(str(value)).normalize(), use_l10n=True)
        except InvalidOperation:
            return value
    if isinstance(model_field, models.FileField):
        return StoredImage(str(value))
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    return value


def field_label(model, name: str) -> str:
    model_field = model._meta.get_field(name)
    language = getattr(model_field, "language", None)
    if language:
        original = model._meta.get_field(model_field.translated_field.name)
        return _("%(field)s (%(language)s)") % {
            "field": original.verbose_name,
            "language": languages.names()[language],
        }
    return str(model_field.verbose_name)


def row_label(model, fields: dict) -> str:
    """A row's name in the source language, e.g. “initiative: 四学机制”."""
    for name in model.translated_fields:
        value = fields.get(languages.column(name, languages.source_language()))
        if value:
            return _("%(model)s: %(name)s") % {"model": model._meta.verbose_name, "name": value}
    return str(model._meta.verbose_name)


def rows_of(data: str) -> dict[RowKey, dict]:
    """A serialised unit's rows by (model label, primary key)."""
    return {(row["model"], row["pk"]): row["fields"] for row in json.loads(data)}


def compare(old: str, new: str, skipped: set[str] = frozenset()) -> list[RowChange]:
    """What going from the unit `old` to `new` changes, row by row and field by field, every
    language; `skipped` names the root's columns left out."""
    before, after = rows_of(old), rows_of(new)
    root_key = next(iter(after or before), None)
    changes = []
    for key in [*after, *(key for key in before if key not in after)]:
        model = apps.get_model(key[0])
        was, now = before.get(key), after.get(key)
        label = row_label(model, now or was)
        if was is None:
            changes.append(RowChange(model, key[1], label, "added", field_changes(model, {}, now)))
        elif now is None:
            changes.append(RowChange(model, key[1], label, "removed"))
        else:
            fields = field_changes(model, was, now, skipped=skipped if key == root_key else set())
            if fields:
                changes.append(RowChange(model, key[1], label, "changed", fields))
    return changes
