"""Template helpers for the public site."""

from django import template
from django.db.models import Model
from django.urls import reverse, translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: dict, language: str) -> str:
    """The current page's URL in another language, keeping the query string."""
    request = context["request"]
    url = translate_url(request.path, language)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@register.simple_tag
def admin_change_url(obj: Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
