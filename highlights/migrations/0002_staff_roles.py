"""Create the two staff roles: Editors write, Publishers also publish and delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["review", "keyword", "initiative", "metric", "award"]
EDITOR_ACTIONS = ["add", "change", "view"]
PUBLISHER_ACTIONS = ["add", "change", "delete", "view"]
PUBLISH_PERMISSIONS = ["publish_review", "publish_keyword"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the roles need them now.
    app_config = apps.get_app_config("highlights")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def codenames(actions):
        return [f"{action}_{model}" for model in CONTENT_MODELS for action in actions]

    roles = {
        "Editor": codenames(EDITOR_ACTIONS),
        "Publisher": codenames(PUBLISHER_ACTIONS) + PUBLISH_PERMISSIONS,
    }
    for name, wanted in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="highlights", codename__in=wanted)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Publisher"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("highlights", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
