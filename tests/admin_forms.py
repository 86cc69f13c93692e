"""Admin URLs, and the POST body a browser would send back for an admin form."""

from contextlib import nullcontext
from unittest import mock

from django.forms import BaseForm, FileField, MultiWidget
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation


def admin_url(name: str, *args, language: str | None = "en") -> str:
    """An admin page by its URL name without the app prefix, e.g. admin_url("keyword_change", 1).

    English by default (/en/admin/…); language=None keeps whatever language is active.
    """
    with translation.override(language) if language else nullcontext():
        return reverse(f"admin:highlights_{name}", args=args)


def keyword_form_url(pk: int, language: str | None = "en") -> str:
    """A keyword's form with the fields of its initiatives, figures and awards, as an editor
    opens it from the links under their tables."""
    return admin_url("keyword_change", pk, language=language) + "?edit=initiatives,figures,awards"


def form_values(form: BaseForm) -> dict:
    """What a browser would post back for an unchanged form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(field, FileField):
            continue  # a browser sends no file back for a file already stored
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{form.add_prefix(name)}_{index}"] = part
            continue
        data[form.add_prefix(name)] = value
    return data


def change_form_data(client: Client, url: str) -> dict:
    """The full POST body of an admin change form as loaded, inlines included.

    The values come from the view's context, so a change page is not drawn: a keyword's is
    hundreds of widget templates, and tests ask for it dozens of times. A page that a view draws
    itself (history's restore form) is drawn all the same; its context is the test client's.
    """
    with mock.patch.object(TemplateResponse, "rendered_content", ""):
        response = client.get(url)
    assert response.status_code == 200
    context = getattr(response, "context_data", None) or response.context
    data = form_values(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        data |= form_values(formset.management_form)
        for form in formset.forms:
            data |= form_values(form)
    if context.get("unit_revision") is not None:
        data["unit_revision"] = context["unit_revision"]
    return data


def publish_pending(client: Client, root) -> None:
    """Publish a unit's pending changes as a publisher would, from its Pending changes page."""
    url = admin_url(f"{root._meta.model_name}_changes", root.pk)
    response = client.post(url, {"publish": "Publish these changes"})
    assert response.status_code == 302
