"""The two staff roles and what each may do: the one place that says who can publish.

The groups are kept in step with this map after every `migrate` (and after a test flush), so a
permission added here reaches existing sites without a data migration.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models import Model, Q

EDITOR = "Editor"
PUBLISHER = "Publisher"

CONTENT_MODELS = (
    "review",
    "keyword",
    "initiative",
    "figure",
    "award",
    "photo",
    "news",
    "notice",
    "attachment",
    "place",
    "openingperiod",
    "specialday",
    "serviceguide",
)
PUBLISHABLE_MODELS = ("review", "keyword", "news", "notice", "place", "serviceguide")


def _codenames(
    actions: tuple[str, ...], models: tuple[str, ...], app: str = "highlights"
) -> set[tuple[str, str]]:
    return {(app, f"{action}_{model}") for model in models for action in actions}


ROLE_PERMISSIONS: dict[str, set[tuple[str, str]]] = {
    # Editors write; they cannot publish, unpublish or delete, nor change the site's identity.
    EDITOR: _codenames(("add", "change", "view"), CONTENT_MODELS)
    | _codenames(("view",), ("siteidentity", "column", "canonicalterm")),
    PUBLISHER: _codenames(("add", "change", "delete", "view"), CONTENT_MODELS)
    | _codenames(("publish",), PUBLISHABLE_MODELS)
    | _codenames(("add", "change", "view"), ("siteidentity",))
    # Columns are set up once per site (post_migrate); publishers rename them and set their
    # rules, but a column is neither added nor removed by hand.
    | _codenames(("change", "view"), ("column",))
    | _codenames(("add", "change", "delete", "view"), ("canonicalterm",))
    # Publishers see who is locked out of the admin and lift a lockout by deleting it.
    | _codenames(("view", "delete"), ("accessattempt",), app="axes"),
}


def publish_permission(model: type[Model]) -> str:
    opts = model._meta
    return f"{opts.app_label}.publish_{opts.model_name}"


def can_publish(user, model: type[Model]) -> bool:
    """Whether the user may publish, unpublish or schedule items of this kind."""
    return user.has_perm(publish_permission(model))


def sync_roles(apps=global_apps, **kwargs) -> None:
    """Create the roles and give each exactly the permissions the map names (post_migrate)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for app, codename in permissions:
            wanted |= Q(content_type__app_label=app, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
