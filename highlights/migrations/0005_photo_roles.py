"""Let both staff roles manage gallery photos; only Publishers may delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Editor": ["add_photo", "change_photo", "view_photo"],
    "Publisher": ["add_photo", "change_photo", "delete_photo", "view_photo"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("highlights")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="highlights", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    photo_permissions = Permission.objects.filter(
        content_type__app_label="highlights", codename__endswith="_photo"
    )
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*photo_permissions)


class Migration(migrations.Migration):
    dependencies = [("highlights", "0004_images")]

    operations = [migrations.RunPython(grant, revoke)]
