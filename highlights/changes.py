"""What changed between two versions of a unit's rows, field by field and language by
language: for the pending-changes page (live rows against a draft) and the history (each
record against the one before it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from . import languages
from .publishing import local_minute

# Columns that say nothing a person wrote: left out of comparisons.
UNCOMPARED_FIELDS = {"created_at", "updated_at", "revision", "revised_at", "revised_by"}


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
    """One line per changed field and language; `old` and `new` map field names to values."""
    # A translated field's own column only mirrors the active language's; compare each
    # language's column instead.
    skipped = UNCOMPARED_FIELDS | set(model.translated_fields) | set(skipped)
    changes = []
    for name, value in new.items():
        if name in skipped or name.endswith(("_renditions", "_width", "_height")):
            continue
        if old.get(name) != value and (old or value not in ("", None, [])):
            model_field = model._meta.get_field(name)
            changes.append(
                FieldChange(
                    field_label(model, name),
                    readable(model_field, old.get(name)),
                    readable(model_field, value),
                )
            )
    return changes


def readable(model_field, value) -> object:
    """A value as staff read it: a choice's label, a local time, yes or no; "" when empty."""
    if value is None:
        return ""
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return local_minute(value)
    if isinstance(value, float):
        return formats.number_format(value)
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
