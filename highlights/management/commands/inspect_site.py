"""Inspect the site as the State Council's indicators would, for a person or a monitor."""

import json
import sys

from django.core.management.base import BaseCommand

from highlights.inspection import exit_status, inspect


class Command(BaseCommand):
    help = (
        "List what an inspection would find, worst first. Exit status 2 when a veto would fail "
        "the site, 1 for deductions, 0 when clean."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON document, for monitors")

    def handle(self, *args, **options) -> None:
        findings = inspect()
        if options["json"]:
            self.stdout.write(as_json(findings))
        else:
            for finding in findings:
                self.stdout.write(
                    f"{finding.severity.label:<10} {finding.check:<28} {finding.message}"
                )
            if not findings:
                self.stdout.write(self.style.SUCCESS("Nothing an inspection would find."))
        sys.exit(exit_status(findings))


def as_json(findings) -> str:
    return json.dumps(
        {
            "status": exit_status(findings),
            "findings": [finding.as_json() for finding in findings],
        },
        ensure_ascii=False,
        indent=2,
    )
