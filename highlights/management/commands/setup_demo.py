"""Load the 2023 review, the news and places it tells of, and a demo publisher login, then
say where to find them."""

import os
import secrets
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse

from highlights import revisions
from highlights.demo import DEMO_FIXTURES, install_demo_media

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Load the 2023 demo review and (re)create the demo staff login. Safe to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options) -> None:
        call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
        # Fixtures load without history; give every row its first version to restore to.
        call_command("populate_history", auto=True, stdout=StringIO())
        install_demo_media(report=self.stdout.write)
        # Fixtures load as rows only: each review and keyword gets its first revision.
        revisions.record_missing()
        # A fresh password each run: a fixed one in the repository would be a known credential
        # on any server where someone runs the demo by mistake.
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True}
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Publisher"))

        base = f"http://{host}:{port}"
        self.stdout.write(
            self.style.SUCCESS("\nXinjing Highlights demo is ready.\n")
            + f"  Site:     {base}{reverse('highlights:home')}\n"
            + f"  English:  {base}/en/\n"
            + f"  Admin:    {base}{reverse('admin:index')}\n"
            + f"  Login:    {DEMO_USERNAME} / {password}   (a Publisher; new password each run)\n"
        )
