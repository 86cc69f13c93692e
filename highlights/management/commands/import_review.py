"""manage.py import_review FILE: load an archive from export_review; safe to run twice."""

import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from highlights.transfer import import_review


class Command(BaseCommand):
    help = "Load a review archive made by export_review. Importing twice changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            count = import_review(archive)
        except (
            OSError,
            KeyError,
            zipfile.BadZipFile,
            DeserializationError,
            DatabaseError,
            ValueError,
        ) as error:
            raise CommandError(f"Could not import {archive}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Imported {count} objects from {archive}"))
