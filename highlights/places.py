"""Places (便民服务点): where residents go, with structured opening hours, so a page can say
"open now" or "opens at 9:00" in the town's time, on the server, without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .publishing import (
    ColumnQuerySet,
    ColumnUnit,
    Content,
    ContentQuerySet,
    Sharing,
    one_of,
    optional_line,
    optional_text,
    unique_slug,
    web_slug,
)

# How far ahead a closed place's next opening is looked for.
LOOKAHEAD_DAYS = 8


class PlaceKind(models.TextChoices):
    PARTY_SERVICE = "party", _("Party and public service venues")
    GOVERNMENT_SERVICE = "service", _("Government service windows")
    BUSINESS = "business", _("Business and talent services")
    GREEN = "green", _("Gardens and waterfronts")
    CULTURE = "culture", _("Culture and neighbourhood spaces")


class PlaceQuerySet(ColumnQuerySet):
    def by_kind(self) -> PlaceQuerySet:
        return self.order_by("kind", "name")

    def with_hours(self, day: date) -> PlaceQuerySet:
        """With their weekly hours and the special days from `day` on that opening status reads."""
        return self.prefetch_related(
            "opening_periods",
            models.Prefetch(
                "special_days",
                queryset=SpecialDay.objects.filter(
                    date__gte=day, date__lt=day + timedelta(days=LOOKAHEAD_DAYS)
                ),
            ),
        )


@dataclass(frozen=True)
class OpeningStatus:
    """What a place's page says about its hours now, and until when that holds."""

    is_open: bool
    text: str
    until: datetime

    def seconds_left(self, now: datetime) -> int:
        return max(int((self.until - now).total_seconds()), 1)


class Place(ColumnUnit):
    """A place residents can go to: a service centre, a window, a garden."""

    slug_source = "name"
    translated_fields = ("name", "address", "description", "accessibility")
    search_fields = ("name", "address", "description")
    column_key = "place"
    column_list_url = "highlights:place_list"

    name = models.CharField(_("name"), max_length=200)
    slug = web_slug(
        _(
            "Stable ASCII web address part, unique among places. Leave empty to fill it from "
            "the English name, or the Chinese name in pinyin."
        )
    )
    kind = one_of(_("kind"), PlaceKind, PlaceKind.PARTY_SERVICE)
    address = optional_line(
        _("address"), help_text=_("Street and number, as a resident would look for it.")
    )
    description = optional_text(
        _("description"), help_text=_("What happens here. Separate paragraphs with a blank line.")
    )
    phone = optional_line(_("phone"), max_length=50)
    accessibility = optional_text(
        _("accessibility"), help_text=_("Step-free entrance, lift, toilets, hearing loop …")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("GCJ-02, as Chinese map apps give it, e.g. 31.215. Shown as a map link."),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    initiatives = models.ManyToManyField(
        "highlights.Initiative",
        blank=True,
        related_name="places",
        verbose_name=_("initiatives"),
        help_text=_("The review's initiatives that are this place or happen here."),
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        permissions = [("publish_place", _("Can publish and unpublish places"))]
        constraints = [
            unique_slug("place", _("Another place has this slug.")),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_coordinates_both_and_plausible",
                violation_error_message=_(
                    "Give both latitude (−90 to 90) and longitude (−180 to 180), or neither."
                ),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("highlights:place_detail", kwargs={"slug": self.slug})

    @property
    def sharing(self) -> Sharing:
        return Sharing(self.name, Truncator(self.address or self.description).chars(160))

    def unit_members(self) -> list[Content]:
        return [
            *self.opening_periods.order_by("id"),
            *self.special_days.order_by("id"),
            *self.photos.order_by("id"),
        ]

    @property
    def map_url(self) -> str:
        """A link that opens the place in a map app (Amap takes GCJ-02 as given); nothing of
        a map is loaded into the page."""
        if self.latitude is None or self.longitude is None:
            return ""
        query = {
            "position": f"{self.longitude},{self.latitude}",
            "name": self.name,
            "coordinate": "gaode",
            "callnative": "1",
        }
        return f"https://uri.amap.com/marker?{urlencode(query)}"

    def weekly_hours(self) -> list[tuple[str, list[OpeningPeriod]]]:
        """Each day of the week with its periods (empty: closed), Monday first."""
        periods = sorted(self.opening_periods.all(), key=lambda period: period.opens)
        return [
            (WEEKDAYS[day], [period for period in periods if period.weekday == day])
            for day in range(7)
        ]

    def upcoming_special_days(self) -> list[SpecialDay]:
        return sorted(self.special_days.all(), key=lambda special: special.date)

    def hours_on(self, day: date) -> tuple[list[tuple[time, time]], SpecialDay | None]:
        """The periods the place is open on one day, and the special day that sets them."""
        special = next((s for s in self.special_days.all() if s.date == day), None)
        if special is not None:
            return ([(special.opens, special.closes)] if special.opens else []), special
        periods = [
            (p.opens, p.closes) for p in self.opening_periods.all() if p.weekday == day.weekday()
        ]
        return sorted(periods), None

    def opening_status(self, now: datetime) -> OpeningStatus | None:
        """Open now, or closed and when it opens next, in the town's time; None when the
        place has no hours (they are not stated, so nothing is said)."""
        if not self.opening_periods.all() and not self.special_days.all():
            return None
        local = timezone.localtime(now)
        today = local.date()
        midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), time()))
        for offset in range(LOOKAHEAD_DAYS):
            day = today + timedelta(days=offset)
            periods, special = self.hours_on(day)
            for opens, closes in periods:
                start = timezone.make_aware(datetime.combine(day, opens))
                end = timezone.make_aware(datetime.combine(day, closes))
                if start <= now < end:
                    text = gettext("Open now, until %(time)s") % {"time": clock(closes)}
                    return OpeningStatus(True, text, end)
                if now < start:
                    return OpeningStatus(
                        False, closed_until(day, opens, offset, special), min(start, midnight)
                    )
        return OpeningStatus(False, gettext("Closed"), midnight)


def clock(moment: time) -> str:
    return formats.time_format(moment, "G:i")


def closed_until(day: date, opens: time, offset: int, special: SpecialDay | None) -> str:
    if offset == 0:
        return gettext("Closed now, opens at %(time)s") % {"time": clock(opens)}
    if offset == 1:
        return gettext("Closed now, opens tomorrow at %(time)s") % {"time": clock(opens)}
    return gettext("Closed now, opens %(day)s at %(time)s") % {
        "day": WEEKDAYS[day.weekday()],
        "time": clock(opens),
    }


class PlaceRow(Content):
    """Opening periods and special days: rows of a place, public exactly when it is."""

    public_when = (("place",),)
    in_review = False

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def unit_root(self) -> Place:
        return self.place

    def clean(self) -> None:
        super().clean()
        opens, closes = self.opens, self.closes
        if (opens is None) != (closes is None):
            raise ValidationError(_("Give both the opening and the closing time, or neither."))
        if opens is not None and closes <= opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})


def row_of(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name=related_name, verbose_name=_("place")
    )


def closes_after_opens(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(opens__isnull=True, closes__isnull=True) | Q(closes__gt=F("opens")),
        name=f"{prefix}_closes_after_opens",
        violation_error_message=_("The closing time must be after the opening time."),
    )


class OpeningPeriod(PlaceRow):
    """One period a place is open on a day of the week, e.g. Monday 9:00–17:00."""

    place = row_of("opening_periods")
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), choices=sorted(WEEKDAYS.items())
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening hours")
        constraints = [closes_after_opens("openingperiod")]

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {clock(self.opens)}–{clock(self.closes)}"


class SpecialDay(PlaceRow):
    """A date whose hours differ from the week's: a public holiday, a closure, an open day."""

    place = row_of("special_days")
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True, help_text=_("Empty: closed."))
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = optional_line(_("note"), help_text=_("e.g. National Day."))
    translated_fields = ("note",)

    class Meta:
        ordering = ["date"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        constraints = [
            closes_after_opens("specialday"),
            models.UniqueConstraint(
                fields=["place", "date"],
                name="specialday_unique_date",
                violation_error_message=_("This place already has hours for this date."),
            ),
        ]

    def __str__(self) -> str:
        if self.opens is None:
            return f"{self.date} · {pgettext_lazy('place', 'closed')}"
        return f"{self.date} {clock(self.opens)}–{clock(self.closes)}"
