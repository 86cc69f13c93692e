"""A review's revisions in an archive (transfer.py), so its history moves with it.

Revisions hold rows by this site's ids. An archive carries them with the exporting site's ids
beside a key for each row that still exists (its natural key) and the author's username, never
a user row. On import, each id becomes the importing site's id of the same row; a row that only
old revisions hold (deleted since) gets an id this site will never hand out, so restoring that
revision brings it back without touching another row. Authors are matched by username, else
left empty. A revision already imported (same unit, kind and moment) is not imported again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Revision
from .publishing import Publishable
from .revisions import new_ids

OldKey = str  # "highlights.keyword:12": a row by the exporting site's id


class ArchiveError(ValueError):
    """The archive is not one export_review made, or holds something this site will not take."""


def old_key(label: str, pk: int) -> OldKey:
    return f"{label}:{pk}"


def exported_revisions(objects: list[models.Model]) -> dict:
    """Every revision of the units among `objects` (a review and its keywords), oldest first,
    with the key of each row that still exists."""
    keys = {old_key(obj._meta.label_lower, obj.pk): list(obj.natural_key()) for obj in objects}
    roots: dict[type, list[int]] = defaultdict(list)
    for obj in objects:
        if isinstance(obj, Publishable):
            roots[type(obj)].append(obj.pk)
    revisions = []
    for model, pks in roots.items():
        # One query per unit type, not per unit.
        for revision in (
            Revision.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=pks
            )
            .exclude(kind=Revision.Kind.UNMERGED)
            .select_related("user")
            .order_by("created_at", "pk")
        ):
            revisions.append(
                {
                    "unit": old_key(model._meta.label_lower, revision.object_id),
                    "id": revision.pk,
                    "kind": revision.kind,
                    "created_at": revision.created_at.isoformat(),
                    "author": revision.user.get_username() if revision.user else None,
                    "based_on": revision.based_on_id,
                    "restored_from": revision.restored_from_id,
                    "data": json.loads(revision.data),
                }
            )
    return {"keys": keys, "revisions": revisions}


def import_revisions(payload: dict, objects: list[models.Model], allowed: tuple) -> None:
    """Record the archive's revisions for the units just loaded as `objects`; every row they
    hold must be of an `allowed` model, with that model's fields and a kind of revision this
    site knows, or nothing is recorded."""
    check_revisions(payload["revisions"], allowed)
    local = {(obj._meta.label_lower, tuple(obj.natural_key())): obj.pk for obj in objects}
    ids: dict[OldKey, int] = {}
    for key, natural_key in payload["keys"].items():
        label = key.split(":")[0]
        if (label, tuple(natural_key)) in local:
            ids[key] = local[label, tuple(natural_key)]
    give_ids_to_deleted_rows(payload["revisions"], ids)
    users = {user.get_username(): user for user in get_user_model().objects.all()}
    revision_ids: dict[int, int] = {}
    for entry in payload["revisions"]:
        unit = entry["unit"]
        if unit not in ids:
            continue
        model = apps.get_model(unit.split(":")[0])
        content_type = ContentType.objects.get_for_model(model)
        created_at = datetime.fromisoformat(entry["created_at"])
        revision, _created = Revision.objects.get_or_create(
            content_type=content_type,
            object_id=ids[unit],
            kind=entry["kind"],
            created_at=created_at,
            defaults={
                "data": json.dumps(
                    [local_row(row, ids) for row in entry["data"]], ensure_ascii=False
                ),
                "user": users.get(entry["author"]),
                "based_on_id": revision_ids.get(entry["based_on"]),
                "restored_from_id": revision_ids.get(entry["restored_from"]),
            },
        )
        revision_ids[entry["id"]] = revision.pk


def check_revisions(revisions: list[dict], allowed: tuple) -> None:
    labels = {model._meta.label_lower: model for model in allowed}
    for entry in revisions:
        if entry["kind"] not in Revision.Kind.values or entry["kind"] == Revision.Kind.UNMERGED:
            raise ArchiveError(f"A revision of an unknown kind: {entry['kind']!r}.")
        for row in entry["data"]:
            model = labels.get(row["model"])
            if model is None or not isinstance(row["pk"], int):
                raise ArchiveError(f"A revision holds a {row['model']} row: not review content.")
            names = {field.name for field in model._meta.concrete_fields}
            if set(row["fields"]) - names:
                raise ArchiveError(f"A revision's {row['model']} row has fields this site lacks.")


def give_ids_to_deleted_rows(revisions: list[dict], ids: dict[OldKey, int]) -> None:
    missing: dict[str, list[OldKey]] = defaultdict(list)
    for entry in revisions:
        for row in entry["data"]:
            key = old_key(row["model"], row["pk"])
            if key not in ids and key not in missing[row["model"]]:
                missing[row["model"]].append(key)
    for label, keys in missing.items():
        ids.update(zip(keys, new_ids(apps.get_model(label), len(keys)), strict=True))


def local_row(row: dict, ids: dict[OldKey, int]) -> dict:
    """One row of a revision with this site's ids, its own and those it links to."""
    model = apps.get_model(row["model"])
    fields = dict(row["fields"])
    for name, value in row["fields"].items():
        field = model._meta.get_field(name)
        if field.many_to_one and value is not None:
            fields[name] = ids.get(old_key(field.related_model._meta.label_lower, value))
    return {"model": row["model"], "pk": ids[old_key(row["model"], row["pk"])], "fields": fields}
