"""Who changed what and when: django-simple-history on every content model, and the history
page that reads it.

Registered when the app is ready, after modeltranslation has added the per-language columns
(it reads translation.py first, being earlier in INSTALLED_APPS), so that the historical models
record every language.
"""

from dataclasses import dataclass, field

import simple_history
from django.apps import apps
from django.utils.translation import gettext

from .changes import RowChange, compare
from .models import BOOKKEEPING_MODELS, Revision
from .publishing import local_minute

# Revisions and open forms are the editing core's own records, and a unit's revision pointers
# are bookkeeping: none of them is content.
UNRECORDED_FIELDS = ["live_revision", "latest_revision"]


def register_history() -> None:
    for model in list(apps.get_app_config("highlights").get_models()):
        if model.__name__.startswith("Historical") or model.__name__ in BOOKKEEPING_MODELS:
            continue
        fields = {field.name for field in model._meta.fields}
        simple_history.register(
            model,
            app="highlights",
            excluded_fields=[name for name in UNRECORDED_FIELDS if name in fields],
        )


# The history page ------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One revision of a unit as its history page shows it: what it was, and what it changed
    since the revision it was based on."""

    revision: Revision
    rows: list[RowChange] = field(default_factory=list)

    @property
    def note(self) -> str:
        revision = self.revision
        if revision.kind == Revision.Kind.PUBLISHED and revision.based_on is not None:
            return gettext("Published the version saved by %(who)s at %(when)s.") % {
                "who": revision.based_on.author,
                "when": revision.based_on.moment,
            }
        if revision.kind == Revision.Kind.RESTORED and revision.restored_from is not None:
            return gettext("Brought back the version of %(when)s.") % {
                "when": revision.restored_from.moment
            }
        if revision.kind == Revision.Kind.SCHEDULED and revision.go_live_at is not None:
            return gettext("Approved to go live at %(when)s.") % {
                "when": local_minute(revision.go_live_at)
            }
        if revision.kind == Revision.Kind.UNMERGED:
            if revision.merged_into_id is not None:
                return gettext("Merged after its author chose, field by field.")
            return gettext("Changed fields a colleague had changed too: waiting for its author.")
        if revision.kind == Revision.Kind.CREATED:
            return gettext("The first revision: the unit as it was then.")
        return ""


# Kinds whose content is the revision they were based on, nothing new to list.
SAME_CONTENT = {Revision.Kind.PUBLISHED, Revision.Kind.SCHEDULED}


def unit_revisions(root):
    return Revision.objects.of(root).select_related(
        "user", "based_on__user", "restored_from", "content_type"
    )


def history_entry(revision: Revision, root) -> HistoryEntry:
    """A revision with the rows it changed since the revision it was based on."""
    rows = []
    if revision.based_on is not None and revision.kind not in SAME_CONTENT:
        rows = compare(revision.based_on.data, revision.data, set(root.kept_when_applying))
    return HistoryEntry(revision, rows)


class UnitHistory:
    """A unit's history, newest first, as Django's Paginator reads it: entries are built for
    the page shown only, so a unit with a long history costs one page of comparisons."""

    def __init__(self, root) -> None:
        self.root = root
        self.revisions = unit_revisions(root)

    def count(self) -> int:
        return self.revisions.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[HistoryEntry]:
        return [history_entry(revision, self.root) for revision in self.revisions[index]]


def row_history(root, row) -> list[HistoryEntry]:
    """The revisions of the unit that changed one of its rows, each with that row's changes
    (every revision is compared: which changed the row is known only then)."""
    entries = []
    for revision in unit_revisions(root):
        entry = history_entry(revision, root)
        entry.rows = [
            change for change in entry.rows if (change.model, change.pk) == (type(row), row.pk)
        ]
        if entry.rows:
            entries.append(entry)
    return entries
