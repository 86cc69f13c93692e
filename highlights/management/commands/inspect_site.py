"""Inspect the site as the State Council's indicators would, for a person or a monitor."""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from highlights.columns import column_states
from highlights.inspection import SCHEMA, exit_status, inspect


class Command(BaseCommand):
    help = (
        "List what an inspection would find, worst first. Exit status 2 when a veto would fail "
        "the site, 1 for deductions, 0 when clean."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON document, for monitors")
        parser.add_argument(
            "--schema", action="store_true", help="print the JSON Schema of --json and stop"
        )
        parser.add_argument(
            "--no-crawl",
            action="store_true",
            help="skip fetching every page for the link, metadata and notice checks",
        )

    def handle(self, *args, **options) -> None:
        if options["schema"]:
            self.stdout.write(SCHEMA.read_text(encoding="utf-8"))
            sys.exit(0)
        columns = column_states(timezone.now())
        findings = inspect(crawl_site=not options["no_crawl"], columns=columns)
        if options["json"]:
            self.stdout.write(as_json(findings, columns))
        else:
            for finding in findings:
                self.stdout.write(
                    f"{finding.severity.label:<10} {finding.check:<28} {finding.message}"
                )
            if not findings:
                self.stdout.write(self.style.SUCCESS("Nothing an inspection would find."))
        sys.exit(exit_status(findings))


def as_json(findings, columns) -> str:
    return json.dumps(
        {
            "status": exit_status(findings),
            "inspected_at": timezone.now().isoformat(),
            "findings": [finding.as_json() for finding in findings],
            "columns": [state.as_json() for state in columns],
        },
        ensure_ascii=False,
        indent=2,
    )
