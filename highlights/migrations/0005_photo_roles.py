"""Formerly gave the roles photo permissions; highlights/roles.py now holds the whole map."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("highlights", "0004_images")]

    operations = []
