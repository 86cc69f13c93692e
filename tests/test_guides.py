"""Service guides: every element the inspection indicators require, or no publication."""

import pytest
from django.contrib.messages import get_messages

from highlights import revisions
from highlights.models import Place, ServiceGuide
from highlights.publishing import Status
from tests.admin_forms import admin_url

COMPLETE = {
    "title_zh_hans": "社区食堂用餐登记",
    "basis_zh_hans": "《上海市养老服务条例》",
    "conditions_zh_hans": "本镇户籍或居住的老年人",
    "materials_zh_hans": "身份证",
    "location_zh_hans": "仙霞路党群服务中心",
    "hours_zh_hans": "工作日 9:00–17:00",
    "phone": "021-12345678",
}


def add_form(**changes) -> dict:
    values = {**COMPLETE, "slug": "", "status": Status.PUBLISHED, **changes}
    return {
        **values,
        "publish_at_0": "2024-02-01",
        "publish_at_1": "09:00:00",
    }


def test_a_guide_missing_an_element_cannot_be_published(publisher_client, review_2023):
    """The form names what is missing (in the admin's language), and nothing is saved."""
    response = publisher_client.post(admin_url("serviceguide_add"), add_form(materials_zh_hans=""))
    assert response.status_code == 200
    assert "A published guide needs its “documents to bring”" in response.text
    assert not ServiceGuide.objects.exists()


def test_a_complete_guide_is_published(publisher_client, client, review_2023):
    place = Place.objects.get(slug="xianxia-road-centre")
    response = publisher_client.post(
        admin_url("serviceguide_add"), add_form(places=[str(place.pk)])
    )
    assert response.status_code == 302
    address = f"/services/{ServiceGuide.objects.get().slug}/"
    page = client.get(address).text
    for value in ("身份证", "工作日 9:00–17:00", "021-12345678", "/places/xianxia-road-centre/"):
        assert value in page
    assert address in client.get("/services/").text


def test_the_publish_action_refuses_an_incomplete_guide(publisher_client, review_2023):
    """Publishing from the list says which element is missing and leaves it unpublished."""
    guide = ServiceGuide.objects.create(
        status=Status.UNPUBLISHED, **{**COMPLETE, "hours_zh_hans": ""}
    )
    revisions.record_missing()
    response = publisher_client.post(
        admin_url("serviceguide_changelist"),
        {"action": "publish", "_selected_action": [guide.pk]},
    )
    guide.refresh_from_db()
    assert guide.status == Status.UNPUBLISHED
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("“when”" in message for message in said)


@pytest.mark.parametrize("element", ServiceGuide.required_elements)
def test_each_required_element_is_checked(element):
    guide = ServiceGuide(**COMPLETE)
    assert guide.missing_elements() == []
    setattr(guide, guide.element_column(element), "")
    assert guide.missing_elements() == [element]


def test_an_unpublished_guide_is_hidden(client, review_2023):
    guide = ServiceGuide.objects.create(status=Status.UNPUBLISHED, **COMPLETE, slug="draft")
    assert client.get(guide.get_absolute_url()).status_code == 404
    assert "社区食堂" not in client.get("/services/").text
