"""The editing core is generic: a unit type joins by declaring its root and members, and every
unit type goes through the same code (issue #24)."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from highlights import revisions
from highlights.middleware import ScheduledPublishingMiddleware
from highlights.models import (
    Attachment,
    Keyword,
    News,
    Notice,
    Place,
    Review,
    Revision,
    ServiceGuide,
)
from highlights.publishing import Publishable, Status, unit_models
from tests.admin_forms import admin_url, change_form_data, publish_pending

CORE = ["highlights/revisions.py", "highlights/admin/units.py", "highlights/changes.py"]
CONTENT_MODELS = {
    "Review",
    "Keyword",
    "Initiative",
    "Figure",
    "Award",
    "Photo",
    "News",
    "Place",
    "OpeningPeriod",
    "SpecialDay",
    "Notice",
    "Attachment",
    "ServiceGuide",
}

# A unit type, the text field edited in each test, and how to find the row.
UNIT_TYPES = [
    pytest.param(Review, "tagline_en", {"year": 2023}, id="review"),
    pytest.param(Keyword, "tagline_en", {"review__year": 2023, "position": 1}, id="keyword"),
    pytest.param(News, "title_en", {"slug": "first-happy-living-home-festival"}, id="news"),
    pytest.param(Place, "address_en", {"slug": "xianxia-road-centre"}, id="place"),
    pytest.param(Notice, "title_en", {"slug": "consultation"}, id="notice"),
    pytest.param(ServiceGuide, "fees_en", {"slug": "canteen"}, id="service-guide"),
]


@pytest.fixture(autouse=True)
def units_the_demo_lacks(review_2023) -> None:
    """The demo has no notice or service guide (the review states none): one of each, here."""
    notice = Notice.objects.create(
        title="征询意见", slug="consultation", status=Status.PUBLISHED, publish_at=timezone.now()
    )
    stored = default_storage.save("attachments/a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    Attachment.objects.create(notice=notice, file=stored, file_name="a.pdf")
    ServiceGuide.objects.create(
        slug="canteen",
        status=Status.PUBLISHED,
        **dict.fromkeys(ServiceGuide.required_elements, "见窗口公示"),
        title="社区食堂用餐登记",
    )
    revisions.record_missing()


@pytest.mark.parametrize("path", CORE)
def test_the_editing_core_names_no_content_model(path):
    """Nothing in the core refers to a particular unit type: a new one needs no code there."""
    tree = ast.parse((Path(__file__).parent.parent / path).read_text())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not names & CONTENT_MODELS


def test_every_unit_type_declares_its_members():
    """Reviews, keywords, news, notices, places and guides are the unit types; each says which
    rows it holds."""
    types = unit_models()
    assert set(types) == {Review, Keyword, News, Notice, Place, ServiceGuide}
    assert all(issubclass(model, Publishable) for model in types)
    assert "unit_members" in Keyword.__dict__
    assert "unit_members" in Place.__dict__


def save(client, root, field: str, value: str, **extra) -> None:
    url = admin_url(f"{root._meta.model_name}_change", root.pk)
    response = client.post(url, change_form_data(client, url) | {field: value, **extra})
    assert response.status_code == 302


@pytest.mark.parametrize(("model", "field", "lookup"), UNIT_TYPES)
def test_each_unit_type_saves_pending_publishes_schedules_and_restores(
    editor_client, publisher_client, review_2023, model, field, lookup, monkeypatch
):
    """The same life for every unit type, through the same admin pages: an Editor's save is
    pending, a publisher publishes it, schedules the next, and restores the first."""
    monkeypatch.setattr(ScheduledPublishingMiddleware, "next_check", 0.0)
    root = model.objects.get(**lookup)
    first = revisions.latest_revision(root)
    original = getattr(root, field)

    save(editor_client, root, field, "Pending")
    root.refresh_from_db()
    assert root.has_pending_changes
    assert getattr(root, field) == original
    publish_pending(publisher_client, root)
    root.refresh_from_db()
    assert getattr(root, field) == "Pending"

    save(editor_client, root, field, "Scheduled")
    when = timezone.now() + timedelta(hours=1)
    local = timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
    changes = admin_url(f"{model._meta.model_name}_changes", root.pk)
    assert publisher_client.post(changes, {"schedule": "1", "publish_at": local}).status_code == 302
    with time_machine.travel(when + timedelta(minutes=1), tick=False):
        ScheduledPublishingMiddleware.check_soon()
        publisher_client.get("/")
    root.refresh_from_db()
    assert getattr(root, field) == "Scheduled"

    restore = admin_url(f"{model._meta.model_name}_restore", root.pk, first.pk)
    assert publisher_client.post(restore).status_code == 302
    publish_pending(publisher_client, root)
    root.refresh_from_db()
    assert getattr(root, field) == original
    kinds = list(Revision.objects.of(root).order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        "created",
        "saved",
        "published",
        "saved",
        "scheduled",
        "published",
        "restored",
        "published",
    ]
