"""Formerly created the staff roles; they now live in highlights/roles.py, synced after migrate."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("highlights", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
