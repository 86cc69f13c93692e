"""Shared test data: the real 2023 review, staff in each role, and a throwaway MEDIA_ROOT."""

import shutil
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from highlights.demo import DEMO_MEDIA
from highlights.models import Review


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """No page cached by one test is served to another."""
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Chinese, whatever language an earlier request left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def review_2023(db, settings) -> Review:
    call_command("loaddata", "xinjing_2023", verbosity=0)
    call_command("populate_history", auto=True, stdout=StringIO())
    # The covers the fixture refers to; renditions are left to the tests that need them.
    shutil.copytree(DEMO_MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return Review.objects.get(year=2023)


@pytest.fixture
def make_staff(db) -> Callable[[str], User]:
    def make(role: str) -> User:
        user = User.objects.create_user(username=role.lower(), password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(make_staff) -> Client:
    return logged_in(make_staff("Editor"))


@pytest.fixture
def publisher_client(make_staff) -> Client:
    return logged_in(make_staff("Publisher"))
