"""The site's columns (栏目) as data: each column's name, its type in the 政府网站发展指引's
metadata, and how often it must have something new, edited by staff in the admin rather than
written into the code. A district hosting several towns will give each town its own rows.

A column shows one kind of content, named by the content model's `column_key`: "review" for the
yearly reviews (with their keywords and initiatives), else the model's name ("news", "notice" …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import languages
from .publishing import Content, optional_text


class ColumnType(models.TextChoices):
    """The column types of the 政府网站发展指引, as its ColumnType tag names them."""

    NEWS = "news", _("Government news")
    NOTICES = "notices", _("Notices")
    POLICIES = "policies", _("Policy documents")
    SERVICES = "services", _("Services")
    INTERACTION = "interaction", _("Interaction")
    SPECIAL = "special", _("Special topics")


def column_models() -> list[type[Content]]:
    """The kinds of content with a list page of their own, which a column can show."""
    models_ = apps.get_app_config("highlights").get_models()
    return [model for model in models_ if issubclass(model, Content) and model.column_list_url]


def column_contents() -> list[tuple[str, str]]:
    return [(model.column_key, model._meta.verbose_name_plural) for model in column_models()]


# The columns a new site starts with (content, name, description, type, days), named in every
# language from the translation catalogue; staff rename them and set their rules from then on.
DEFAULT_COLUMNS = [
    (
        "news",
        _("News"),
        _("What is happening in Xinjing Town, newest first."),
        ColumnType.NEWS,
        14,
    ),
    (
        "notice",
        _("Notices"),
        _("Notices from Xinjing Town to its residents, newest first."),
        ColumnType.NOTICES,
        180,
    ),
    (
        "serviceguide",
        _("Service guides"),
        _("How to get things done in Xinjing Town: what to bring, where and when."),
        ColumnType.SERVICES,
        None,
    ),
    (
        "place",
        _("Places"),
        _("Service centres, windows, gardens and venues in Xinjing Town, and when they open."),
        ColumnType.SERVICES,
        None,
    ),
    (
        "review",
        _("Reviews"),
        _("Every yearly review of Xinjing Town, newest first."),
        ColumnType.SPECIAL,
        None,
    ),
]


def create_columns(**kwargs) -> None:
    """Give a site the columns it lacks (post_migrate): a new site, or a kind of content new
    to an existing one. A column staff have changed is left as they set it."""
    existing = set(Column.objects.values_list("content", flat=True))
    for position, (content, name, description, kind, days) in enumerate(DEFAULT_COLUMNS, 1):
        if content in existing:
            continue
        column = Column(content=content, column_type=kind, fresh_within_days=days)
        column.position = position
        for code in languages.codes():
            with translation.override(code):
                setattr(column, languages.column("name", code), str(name))
                setattr(column, languages.column("description", code), str(description))
        column.save()


class ColumnQuerySet(models.QuerySet):
    def in_order(self) -> ColumnQuerySet:
        return self.order_by("position", "pk")


class Column(models.Model):
    translated_fields = ("name", "description")
    fallback_undefined: dict = {}

    content = models.CharField(
        _("content"),
        max_length=30,
        unique=True,
        choices=column_contents,
        help_text=_("What the column shows."),
    )
    name = models.CharField(
        _("name"),
        max_length=40,
        help_text=_("As residents see it in the menu, the page title and the ColumnName tag."),
    )
    description = optional_text(
        _("description"), help_text=_("One sentence under the column's title, and its feed's.")
    )
    column_type = models.CharField(
        _("column type"),
        max_length=20,
        choices=ColumnType.choices,
        help_text=_("Its type under the 政府网站发展指引, for the ColumnType tag of its pages."),
    )
    fresh_within_days = models.PositiveSmallIntegerField(
        _("new within (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Inspectors fail a column with nothing new for longer: 14 days for news, 180 for "
            "notices and policy documents. Leave empty for a column that is kept rather than "
            "updated, such as service guides: it must only not be empty."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site's menu.")
    )

    objects = ColumnQuerySet.as_manager()

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fresh_within_days__isnull=True) | Q(fresh_within_days__gte=1),
                name="column_fresh_within_days_positive",
                violation_error_message=_("A column must have something new within a day or more."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(self.model.column_list_url)

    @property
    def model(self) -> type[Content]:
        """The model of the column's items (for the review, its reviews)."""
        return next(model for model in column_models() if model.column_key == self.content)

    @cached_property
    def newest_publication(self) -> datetime | None:
        """When the column's newest published item went out, or None for an empty column (read
        once per row: the admin's list shows it and the days left beside it)."""
        return self.model.objects.published().aggregate(newest=Max("publish_at"))["newest"]

    def days_left(self, now: datetime) -> int | None:
        """Whole days until the column has been without anything new for longer than its rule
        allows (negative once it has): None for a column kept rather than updated, or empty."""
        newest = self.newest_publication
        if self.fresh_within_days is None or newest is None:
            return None
        return self.fresh_within_days - (now - newest).days


@dataclass
class ColumnState:
    """A column as the freshness rules see it: when it last had something new, and the days
    it has left before it goes stale (None when it has no rule, or nothing at all)."""

    column: Column
    newest: datetime | None
    days_left: int | None

    @classmethod
    def of(cls, column: Column, now: datetime) -> ColumnState:
        return cls(column, column.newest_publication, column.days_left(now))

    @property
    def days_left_text(self) -> str:
        """The days left as staff read them: "12", "3 days overdue", or a dash without a rule."""
        if self.days_left is None:
            return "—"
        if self.days_left < 0:
            return ngettext("%(days)d day overdue", "%(days)d days overdue", -self.days_left) % {
                "days": -self.days_left
            }
        return str(self.days_left)

    def as_json(self) -> dict:
        return {
            "column": self.column.content,
            "name": str(self.column),
            "fresh_within_days": self.column.fresh_within_days,
            "newest": self.newest.isoformat() if self.newest else None,
            "days_left": self.days_left,
        }


def column_states(now: datetime) -> list[ColumnState]:
    return [ColumnState.of(column, now) for column in Column.objects.in_order()]


class StalenessReminder(models.Model):
    """That publishers were told a column is about to go stale: one row per column, newest item
    and threshold, so each reminder goes out once however many processes look."""

    column = models.ForeignKey(
        Column, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("column")
    )
    newest = models.DateTimeField(_("newest item"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("staleness reminder")
        verbose_name_plural = _("staleness reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["column", "newest", "days_before"], name="staleness_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.column} · {self.days_before}"


class SiteColumns:
    """The site's columns as one request reads them: the menu, and the column of the page's
    content for its title and metadata, from one query made when first needed."""

    def __init__(self) -> None:
        self._columns: list[Column] | None = None

    def __iter__(self):
        return iter(self.all())

    def all(self) -> list[Column]:
        if self._columns is None:
            self._columns = list(Column.objects.in_order())
        return self._columns

    def of(self, model: type[models.Model]) -> Column:
        """The column showing `model`'s rows. A column staff have not set up is named after
        the model, so a page never fails for want of it."""
        for column in self.all():
            if column.content == model.column_key:
                return column
        return Column(content=model.column_key, name=model._meta.verbose_name_plural)


def site_columns(request) -> SiteColumns:
    """The request's columns, shared by the view, its feeds and the templates' menu."""
    if not hasattr(request, "site_columns"):
        request.site_columns = SiteColumns()
    return request.site_columns
