"""Forms for the public pages' query strings: bad input becomes a message, never an error page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AwardLevel

SEARCH_MAX_LENGTH = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={"max_length": _("Please search for at most %(limit_value)d characters.")},
    )


class AwardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *AwardLevel.choices],
        required=False,
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]
