"""Forms for the public pages' query strings: bad input becomes a message, never an error page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AwardLevel

SEARCH_MAX_LENGTH = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={"max_length": _("Please search for at most %(limit_value)d characters.")},
    )

    def clean_q(self) -> str:
        term = self.cleaned_data["q"]
        if not term:
            return term
        # One Latin letter is inside nearly every word; one Chinese character is a real search.
        if len(term) < 2 and term.isascii():
            raise forms.ValidationError(_("Please type at least two letters."), code="too_short")
        return term


class PlaceFilterForm(SearchForm):
    """Narrows the places to those whose name, address or description holds the words."""

    q = forms.CharField(
        label=_("Street or name"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages=SearchForm.base_fields["q"].error_messages,
    )


class AwardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *AwardLevel.choices],
        required=False,
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        # Chinese labels end in a full-width colon (年份：), English ones in a plain one.
        kwargs.setdefault("label_suffix", pgettext_lazy("form label suffix", ":"))
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]


class CareModeForm(forms.Form):
    """Turning elder mode on (on=1) or off (on=0), then back to the page at `next`."""

    on = forms.ChoiceField(choices=[("1", _("On")), ("0", _("Off"))])
    next = forms.CharField(required=False, max_length=2000)
