"""The admin: roles, publishing, inline editing and clear errors for bad input."""

from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from highlights.models import Award, Figure, Initiative, Keyword, Review, Status
from tests.admin_forms import admin_url, change_form_data, keyword_form_url, publish_pending

pytestmark = pytest.mark.long

MODELS = [Review, Keyword, Initiative, Figure, Award]
KEYWORD_FORM_QUERIES = 26


@pytest.fixture
def english():
    """Reverse admin URLs under /en/, so that messages come back in English."""
    with translation.override("en"):
        yield


def url_of(model, action: str, *args) -> str:
    return admin_url(f"{model._meta.model_name}_{action}", *args, language=None)


@pytest.mark.parametrize("model", MODELS)
def test_publisher_sees_lists_and_forms(publisher_client, review_2023, model):
    """Every content list, its filters and a change form load for a publisher."""
    assert publisher_client.get(url_of(model, "changelist")).status_code == 200
    assert (
        publisher_client.get(url_of(model, "changelist"), {"english": "missing"}).status_code == 200
    )
    obj = model.objects.first()
    response = publisher_client.get(url_of(model, "change", obj.pk))
    assert response.status_code == 200
    assert "modeltranslation/js/tabbed_translation_fields.js" in response.text
    assert "vendor/jquery-ui/jquery-ui.min.js" in response.text


def test_review_page_edits_its_keywords_inline(publisher_client, review_2023):
    """The review form lists its seven keywords in order as inline rows."""
    response = publisher_client.get(url_of(Review, "change", review_2023.pk))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.position for form in formset.forms] == [1, 2, 3, 4, 5, 6, 7]


def test_keyword_page_edits_initiatives_figures_and_awards(publisher_client, review_2023):
    """The keyword form carries its initiatives, figures and awards, and saves them."""
    keyword = review_2023.keywords.get(slug="embroiderers-touch")
    url = keyword_form_url(keyword.pk)
    data = change_form_data(publisher_client, url)
    prefixes = [
        inline.formset.prefix
        for inline in publisher_client.get(url).context["inline_admin_formsets"]
    ]
    assert prefixes == ["initiatives", "figures", "awards", "photos"]
    data["awards-0-rank_en"] = "Silver Prize"
    data["awards-1-rank_en"] = "Silver Prize"
    response = publisher_client.post(url, data | {"_publish": "Save and publish"})
    assert response.status_code == 302, response.context["errors"]
    assert set(keyword.awards.values_list("rank_en", flat=True)) == {"Silver Prize"}


def test_keyword_form_tables_its_rows_until_asked_for_their_fields(publisher_client, review_2023):
    """Initiatives, figures and awards are tables on the keyword's form, each with a link that
    opens their fields on the same form; the gallery is always fields."""
    keyword = review_2023.keywords.get(position=1)
    url = admin_url("keyword_change", keyword.pk)
    page = publisher_client.get(url)
    assert [i.formset.prefix for i in page.context["inline_admin_formsets"]] == ["photos"]
    tables = {str(table["name"]): table for table in page.context["row_tables"]}
    assert list(tables) == ["initiatives", "figures", "awards"]
    figures = tables["figures"]
    assert [str(column) for column in figures["columns"]] == [
        "position",
        "label",
        "value",
        "unit",
        "initiative",
    ]
    assert len(figures["rows"]) == keyword.figures.count()
    assert "Four-Way Learning Mechanism" in page.text  # an initiative, and a figure's
    assert "<td>7,000+</td>" in page.text  # as residents read it, not 7000.00
    assert "No awards yet." in page.text
    assert 'href="?edit=figures"' in page.text

    asked = publisher_client.get(url, {"edit": "figures"})
    assert [i.formset.prefix for i in asked.context["inline_admin_formsets"]] == [
        "figures",
        "photos",
    ]
    assert 'href="?edit=figures,initiatives"' in asked.text


def test_a_form_with_rows_asked_for_posts_them_back_past_the_lists_filters(
    publisher_client, review_2023
):
    """Opened from a filtered list, the form's action carries the list's filters; it must carry
    the rows asked for too, or their changes would not be saved."""
    keyword = review_2023.keywords.get(position=1)
    url = admin_url("keyword_change", keyword.pk)
    query = {"edit": "figures", "_changelist_filters": "status__exact=published"}
    page = publisher_client.get(url, query)
    action = QueryDict(urlsplit(page.context["form_url"]).query)
    assert action["edit"] == "figures"
    assert action["_changelist_filters"] == "status__exact=published"
    data = change_form_data(publisher_client, f"{url}?{urlencode(query)}")
    data["figures-0-unit_en"] = "learners"
    response = publisher_client.post(f"{url}?{action.urlencode()}", data | {"_publish": "1"})
    assert response.status_code == 302
    assert keyword.figures.order_by("position")[0].unit_en == "learners"


def test_a_save_without_the_rows_fields_leaves_the_rows_as_they_were(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=1)

    def rows() -> dict:
        translation.activate("en")  # the admin's requests leave their language active
        return {
            name: [
                {field: value for field, value in row.items() if not field.endswith("ed_at")}
                for row in getattr(keyword, name).values()
            ]
            for name in ("initiatives", "figures", "awards")
        }

    before = rows()
    url = admin_url("keyword_change", keyword.pk)
    data = change_form_data(publisher_client, url) | {"tagline_en": "Changed alone"}
    assert not any(name.startswith(("initiatives-", "figures-")) for name in data)
    assert publisher_client.post(url, data | {"_publish": "1"}).status_code == 302
    keyword.refresh_from_db()
    assert keyword.tagline_en == "Changed alone"
    assert rows() == before


def test_the_tables_show_the_pending_rows_as_the_form_does(editor_client, review_2023):
    """A published keyword's form shows its pending changes, and so do its rows' tables."""
    keyword = review_2023.keywords.get(position=1)
    url = keyword_form_url(keyword.pk)
    data = change_form_data(editor_client, url)
    count = int(data["initiatives-TOTAL_FORMS"])
    data |= {
        "initiatives-TOTAL_FORMS": str(count + 1),
        f"initiatives-{count}-name_zh_hans": "待发布的新举措",
    }
    assert editor_client.post(url, data).status_code == 302
    assert not keyword.initiatives.filter(name_zh_hans="待发布的新举措").exists()
    page = editor_client.get(admin_url("keyword_change", keyword.pk))
    assert "待发布的新举措" in page.text


def test_keyword_form_query_budget(publisher_client, review_2023, django_assert_max_num_queries):
    """The keyword's form reads each table once, whatever its number of rows."""
    url = admin_url("keyword_change", review_2023.keywords.get(position=1).pk)
    publisher_client.get(url)
    with django_assert_max_num_queries(KEYWORD_FORM_QUERIES):
        assert publisher_client.get(url).status_code == 200


def test_figure_inline_offers_only_this_keywords_initiatives(publisher_client, review_2023):
    """A figure can only be tied to an initiative of its own keyword."""
    keyword = review_2023.keywords.get(position=1)
    response = publisher_client.get(keyword_form_url(keyword.pk))
    figures = response.context["inline_admin_formsets"][1].formset
    choices = set(figures.forms[0].fields["initiative"].queryset)
    assert choices == set(keyword.initiatives.all())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"figures-0-value": "-3"}, "A figure cannot be negative."),
        ({"figures-1-position": "1"}, "Please correct the duplicate data for position"),
        ({"title_zh_hans": ""}, "This field is required."),
        ({"initiatives-1-slug": "four-ways-of-learning"}, "Please correct the duplicate data for"),
        ({"slug": "east-hongqiao-area"}, "Another keyword of this review has this slug."),
        ({"slug": "not a slug!"}, "The slug may only contain Latin letters"),
        ({"figures-0-value": "lots"}, "Enter a number."),
    ],
    ids=[
        "negative",
        "duplicate-inline-position",
        "no-chinese-title",
        "duplicate-inline-slug",
        "duplicate-slug",
        "bad-slug",
        "not-a-number",
    ],
)
def test_bad_keyword_input_is_a_form_error(publisher_client, review_2023, english, change, message):
    """Bad input comes back as a form error, never a 500 or an IntegrityError."""
    keyword = review_2023.keywords.get(position=1)
    url = keyword_form_url(keyword.pk)
    data = change_form_data(publisher_client, url) | change
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert message in response.text
    keyword.refresh_from_db()
    assert keyword.position == 1
    assert keyword.slug == "thematic-education"


def test_adding_a_duplicate_review_year_is_a_form_error(publisher_client, review_2023, english):
    """A second 2023 review is refused with a message."""
    response = publisher_client.post(
        url_of(Review, "add"),
        {
            "year": "2023",
            "title_zh_hans": "重复",
            "status": "draft",
            "publish_at_0": "2024-01-01",
            "publish_at_1": "09:00:00",
            "keywords-TOTAL_FORMS": "0",
            "keywords-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert Review.objects.count() == 1


def test_negative_figure_in_its_own_form(publisher_client, review_2023, english):
    """The stand-alone figure form refuses a negative value too."""
    figure = Figure.objects.first()
    url = url_of(Figure, "change", figure.pk)
    data = change_form_data(publisher_client, url) | {"value": "-0.5"}
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    assert "A figure cannot be negative." in response.text
    figure.refresh_from_db()
    assert figure.value >= 0


def test_editor_adds_and_changes_but_cannot_publish(editor_client, review_2023):
    """Editors write content; status stays a publisher's decision."""
    keyword = review_2023.keywords.get(position=2)
    keyword.status = Status.UNPUBLISHED
    keyword.save()
    url = url_of(Keyword, "change", keyword.pk)
    response = editor_client.get(url)
    assert "status" not in response.context["adminform"].form.fields
    data = change_form_data(editor_client, url) | {"tagline_en": "In Step", "status": "published"}
    assert editor_client.post(url, data).status_code == 302
    keyword.refresh_from_db()
    assert keyword.tagline_en == "In Step"
    assert keyword.status == Status.UNPUBLISHED

    changelist = editor_client.get(url_of(Keyword, "changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "publish" not in actions
    assert "delete_selected" not in actions
    assert "move_up" in actions
    response = editor_client.post(
        url_of(Keyword, "changelist"),
        {"action": "publish", "_selected_action": [keyword.pk]},
    )
    keyword.refresh_from_db()
    assert keyword.status == Status.UNPUBLISHED


def test_editor_can_add_a_review_as_draft(editor_client, db):
    """A new review by an editor is saved as a draft."""
    response = editor_client.post(
        url_of(Review, "add"),
        {
            "year": "2024",
            "title_zh_hans": "记忆·新泾 2024",
            "keywords-TOTAL_FORMS": "0",
            "keywords-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Review.objects.get(year=2024).status == Status.UNPUBLISHED


@pytest.mark.parametrize("model", MODELS)
def test_editor_cannot_delete(editor_client, review_2023, model):
    """Deleting is a publisher's job."""
    obj = model.objects.first()
    assert editor_client.get(url_of(model, "delete", obj.pk)).status_code == 403
    assert editor_client.post(url_of(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_publisher_publishes_and_unpublishes(publisher_client, review_2023):
    """The publish and unpublish actions change status and say so."""
    keywords = review_2023.keywords.filter(position__in=[1, 2])
    pks = [k.pk for k in keywords]
    url = url_of(Keyword, "changelist")
    response = publisher_client.post(
        url, {"action": "unpublish", "_selected_action": pks}, follow=True
    )
    assert response.status_code == 200
    assert Keyword.objects.filter(pk__in=pks, status=Status.UNPUBLISHED).count() == 2
    publisher_client.post(url, {"action": "publish", "_selected_action": pks})
    assert Keyword.objects.filter(pk__in=pks, status=Status.PUBLISHED).count() == 2


def test_publisher_can_delete(publisher_client, review_2023):
    """Publishers may delete content; from a published keyword, once they publish."""
    award = Award.objects.first()
    response = publisher_client.post(url_of(Award, "delete", award.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Award.objects.filter(pk=award.pk).exists()
    publish_pending(publisher_client, award.keyword)
    assert not Award.objects.filter(pk=award.pk).exists()


def test_missing_english_filter(publisher_client, review_2023):
    """The filter finds exactly the rows whose English is missing."""
    initiative = Initiative.objects.get(slug="habitat-museum")
    initiative.description_en = ""
    initiative.save()
    response = publisher_client.get(url_of(Initiative, "changelist"), {"english": "missing"})
    assert list(response.context["cl"].queryset) == [initiative]
    response = publisher_client.get(url_of(Initiative, "changelist"), {"english": "complete"})
    assert initiative not in response.context["cl"].queryset


def test_admin_search_covers_both_languages(publisher_client, review_2023):
    """Staff find a keyword by its Chinese or its English text."""
    url = url_of(Keyword, "changelist")
    for term in ("生境", "habitat"):
        found = publisher_client.get(url, {"q": term}).context["cl"].queryset
        assert [k.slug for k in found] == ["a-happy-place"]


def test_admin_shows_timestamps_and_view_on_site(publisher_client, review_2023):
    """Change forms show created/updated read-only and link to the public page."""
    keyword = review_2023.keywords.first()
    response = publisher_client.get(url_of(Keyword, "change", keyword.pk))
    assert "created_at" not in response.context["adminform"].form.fields
    content_type = ContentType.objects.get_for_model(Keyword)
    assert reverse("admin:view_on_site", args=[content_type.pk, keyword.pk]) in response.text


def test_anonymous_visitors_are_sent_to_login(client, review_2023):
    """The admin is for staff only."""
    response = client.get(url_of(Keyword, "changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_values_survive_an_unchanged_save(publisher_client, review_2023):
    """Saving a keyword untouched keeps every figure exactly."""
    keyword = review_2023.keywords.get(position=2)
    url = url_of(Keyword, "change", keyword.pk)
    response = publisher_client.post(url, change_form_data(publisher_client, url))
    assert response.status_code == 302
    assert sorted(keyword.figures.values_list("value", flat=True)) == [
        Decimal("11.89"),
        Decimal("19.90"),
    ]


def test_numbers_show_as_written_in_the_form(publisher_client, review_2023):
    """A count reads 59 and an area 19.9 in the form, not 59.00 and 19.90."""
    figure = Figure.objects.get(value=Decimal("59"))
    page = publisher_client.get(admin_url("figure_change", figure.pk))
    assert 'value="59"' in page.text
    assert 'value="59.00"' not in page.text


def test_language_tabs_are_named_in_their_own_language(publisher_client, review_2023):
    """The tabs read 中文 and English (language_tabs.js relabels them from this list)."""
    page = publisher_client.get(admin_url("keyword_change", 1, language="zh-hans"))
    assert '<script id="language-labels" type="application/json">' in page.text
    assert '"zh-hans": "\\u4e2d\\u6587"' in page.text
    assert "js/language_tabs.js" in page.text


def test_a_refused_form_lists_its_errors_with_links(publisher_client, review_2023):
    """Each error is beside its field and listed at the top, linking to it, inlines included."""
    keyword = review_2023.keywords.get(position=1)
    url = keyword_form_url(keyword.pk)
    data = change_form_data(publisher_client, url) | {
        "title_zh_hans": "",
        "figures-0-value": "many",
    }
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    summary = response.context["error_summary"]
    assert [field_id for _where, _message, field_id in summary] == [
        "id_title_zh_hans",
        "id_figures-0-value",
    ]
    assert '<a href="#id_figures-0-value">Figure 1 · Value</a>' in response.text
    assert '<a href="#id_title_zh_hans">Title (Simplified Chinese)</a>' in response.text


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_lists_selection_boxes_are_djangos_own_markup(review_2023, language):
    """Unit lists write each row's box directly, as Django's widget would draw it."""
    from django.contrib import admin

    keyword = review_2023.keywords.get(position=1)
    keyword.title_en = 'A <b>"bold"</b> & odd title'
    model_admin = admin.site._registry[Keyword]
    with translation.override(language):
        assert model_admin.action_checkbox(keyword) == admin.ModelAdmin.action_checkbox(
            model_admin, keyword
        )


def test_a_saved_keywords_review_is_shown_alone_and_kept(publisher_client, review_2023):
    """A saved keyword stays in its review: the form offers that review only (not every year
    of the archive), and a forged post cannot move it."""
    other = Review.objects.create(year=2031, title_zh_hans="另一年")
    keyword = review_2023.keywords.get(position=1)
    url = admin_url("keyword_change", keyword.pk)
    page = publisher_client.get(url)
    field = page.context["adminform"].form.fields["review"]
    assert [review.pk for review in field.queryset] == [review_2023.pk]
    data = change_form_data(publisher_client, url) | {"review": str(other.pk), "_publish": "1"}
    assert publisher_client.post(url, data).status_code == 302
    keyword.refresh_from_db()
    assert keyword.review_id == review_2023.pk


def test_a_figures_own_form_offers_its_keywords_initiatives_only(publisher_client, review_2023):
    keyword = review_2023.keywords.get(position=1)
    figure = keyword.figures.order_by("position").first()
    url = admin_url("figure_change", figure.pk)
    page = publisher_client.get(url)
    offered = set(page.context["adminform"].form.fields["initiative"].queryset)
    assert offered == set(keyword.initiatives.all())
    elsewhere = Initiative.objects.exclude(keyword=keyword).first()
    data = change_form_data(publisher_client, url) | {"initiative": str(elsewhere.pk)}
    refused = publisher_client.post(url, data | {"_publish": "1"})
    assert refused.status_code == 200
    assert "initiative" in refused.context["adminform"].form.errors
    figure.refresh_from_db()
    assert figure.initiative_id != elsewhere.pk
