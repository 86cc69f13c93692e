"""Less typing for staff: next free positions, slugs filled in, empty English units kept."""

import pytest

from highlights.models import Figure, Initiative, Keyword, Status
from highlights.publishing import slug_from
from tests.admin_forms import admin_url, change_form_data, keyword_form_url


@pytest.mark.parametrize(
    ("english", "chinese", "slug"),
    [
        ("Four Ways of Learning", "四学机制", "four-ways-of-learning"),
        ("", "四学机制", "si-xue-ji-zhi"),
        ("", "“行！”——2023", "xing-2023"),
    ],
)
def test_slug_from_english_or_pinyin(english, chinese, slug):
    assert slug_from(english, chinese) == slug


def draft_keyword(review_2023) -> Keyword:
    keyword = review_2023.keywords.get(position=1)
    Keyword.objects.filter(pk=keyword.pk).update(status=Status.UNPUBLISHED)
    return keyword


def add_initiative_rows(client, keyword, rows: list[dict]) -> dict:
    url = keyword_form_url(keyword.pk)
    data = change_form_data(client, url)
    start = int(data["initiatives-TOTAL_FORMS"])
    data["initiatives-TOTAL_FORMS"] = str(start + len(rows))
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"initiatives-{start + offset}-{name}"] = value
    return client.post(url, data)


def test_new_rows_take_the_next_positions_and_fill_their_slugs(publisher_client, review_2023):
    """Two initiatives added with no position and no slug: the next two places, a slug from
    the English name and one in pinyin from the Chinese."""
    keyword = draft_keyword(review_2023)
    top = max(keyword.initiatives.values_list("position", flat=True))
    response = add_initiative_rows(
        publisher_client,
        keyword,
        [
            {"name_zh_hans": "新举措", "name_en": "A New Initiative"},
            {"name_zh_hans": "四学机制"},
        ],
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    added = list(keyword.initiatives.filter(position__gt=top).order_by("position"))
    assert [(row.position, row.slug) for row in added] == [
        (top + 1, "a-new-initiative"),
        (top + 2, "si-xue-ji-zhi"),
    ]


def test_a_taken_slug_gets_a_number(review_2023):
    keyword = review_2023.keywords.get(position=1)
    taken = keyword.initiatives.first()
    fresh = Initiative(keyword=keyword, name_zh_hans="重复", name_en=taken.slug.replace("-", " "))
    fresh.save()
    assert fresh.slug == f"{taken.slug}-2"


def test_a_bad_slug_names_the_slug(publisher_client, review_2023):
    keyword = draft_keyword(review_2023)
    url = keyword_form_url(keyword.pk)
    response = publisher_client.post(
        url, change_form_data(publisher_client, url) | {"slug": "主题"}
    )
    assert response.status_code == 200
    assert "The slug may only contain Latin letters" in response.text


def test_a_new_keyword_takes_the_next_place(publisher_client, review_2023):
    response = publisher_client.post(
        admin_url("keyword_add"),
        {
            "review": review_2023.pk,
            "title_zh_hans": "新关键词",
            "status": "draft",
            "publish_at_0": "2024-01-01",
            "publish_at_1": "09:00:00",
            **{
                f"{prefix}-{part}": value
                for prefix in ("initiatives", "figures", "awards", "photos")
                for part, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    added = Keyword.objects.get(title_zh_hans="新关键词")
    assert (added.position, added.slug) == (8, "xin-guan-jian-ci")


def test_an_empty_english_unit_stays_empty(publisher_client, review_2023, client):
    """Clearing the English unit stores an empty value: the English page shows no Chinese
    measure word."""
    keyword = draft_keyword(review_2023)
    figure = keyword.figures.exclude(unit_zh_hans="").order_by("position").first()
    url = admin_url("figure_change", figure.pk)
    data = change_form_data(publisher_client, url) | {"unit_en": ""}
    assert publisher_client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert figure.unit_en == ""
    assert Figure.objects.filter(pk=figure.pk, unit_en__isnull=True).count() == 0
