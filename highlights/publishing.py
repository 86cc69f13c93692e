"""The machinery every content model shares: timestamps, ordering by position, and the one
publication rule that decides what residents see.

The rule is written twice on purpose, side by side, because it runs in two places: in Python
(`PublicationState.of`, for one row already loaded) and in SQL (`PublicationState.q`, for
QuerySets). A test checks that they agree. Which rows a model's visibility depends on is declared
once per model in `public_when`; published(), is_published and for_review() all read it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from . import languages, search_index


class Status(models.TextChoices):
    UNPUBLISHED = "draft", _("Unpublished")
    PUBLISHED = "published", _("Published")


class PublicationState(models.TextChoices):
    UNPUBLISHED = "draft", _("Unpublished")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")

    @classmethod
    def of(cls, status: str, publish_at: datetime, now: datetime) -> PublicationState:
        """The rule for one row: unpublished, published but not yet due, or live."""
        if status != Status.PUBLISHED:
            return cls.UNPUBLISHED
        if publish_at > now:
            return cls.SCHEDULED
        return cls.LIVE

    @classmethod
    def q(cls, state: str, now: datetime, prefix: str = "") -> Q:
        """The same rule in SQL, for the rows (or, with prefix, their parents) in `state`."""
        published = Q(**{f"{prefix}status": Status.PUBLISHED})
        return {
            cls.UNPUBLISHED: ~published,
            cls.SCHEDULED: published & Q(**{f"{prefix}publish_at__gt": now}),
            cls.LIVE: published & Q(**{f"{prefix}publish_at__lte": now}),
        }[state]


def local_minute(when: datetime) -> str:
    """A moment as staff read it: local time, to the minute."""
    return formats.date_format(timezone.localtime(when), "Y-m-d H:i")


def starts_at_one(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(position__gte=1),
        name=f"{prefix}_position_positive",
        violation_error_message=_("Positions start at 1."),
    )


def position_constraints(prefix: str, parent: str, message) -> list[models.BaseConstraint]:
    """Positions start at 1 and are unique within the parent."""
    return [
        models.UniqueConstraint(
            fields=[parent, "position"],
            name=f"{prefix}_unique_position",
            violation_error_message=message,
        ),
        starts_at_one(prefix),
    ]


def unique_slug(prefix: str, message, *scope: str) -> models.UniqueConstraint:
    """Slugs are unique within the scope's fields, or, with none, among all rows."""
    return models.UniqueConstraint(
        fields=[*scope, "slug"], name=f"{prefix}_unique_slug", violation_error_message=message
    )


def slug_constraints(prefix: str, parent: str, message) -> list[models.BaseConstraint]:
    """Slugs are never empty and are unique within the parent."""
    return [
        unique_slug(prefix, message, parent),
        models.CheckConstraint(
            condition=~Q(slug=""),
            name=f"{prefix}_slug_not_empty",
            violation_error_message=_("The slug cannot be empty."),
        ),
    ]


def slug_from(translation: str, source: str) -> str:
    """An ASCII web address part: from the translation (English), or else the source text
    (Chinese) in pinyin, e.g. 四学机制 → si-xue-ji-zhi."""
    # pypinyin reads its dictionary as it is imported (a third of a second): only a process
    # that makes a slug from Chinese pays for it.
    from pypinyin import lazy_pinyin

    return slugify(translation or " ".join(lazy_pinyin(source)))[:70].strip("-")


INVALID_SLUG = _(
    "The slug may only contain Latin letters, numbers, hyphens and underscores, "
    "e.g. four-ways-of-learning."
)


class WebSlugField(models.SlugField):
    """A slug staff may leave empty: saving fills it in (Slugged.fill_slug)."""

    def formfield(self, **kwargs):
        # Empty is None in the form, so that two new rows left empty in one formset are not
        # taken for duplicates; each gets its own slug when saved.
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault("error_messages", {"invalid": INVALID_SLUG})
        return super().formfield(**kwargs)


PLAUSIBLE_YEARS = range(1900, 3000)


def not_negative(prefix: str, field: str, message) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=f"{prefix}_{field}_non_negative",
        violation_error_message=message,
    )


def plausible_year(prefix: str) -> models.CheckConstraint:
    """A year field (`year`) holds a year someone could mean: 1900 to 2999."""
    return models.CheckConstraint(
        condition=Q(year__gte=PLAUSIBLE_YEARS[0]) & Q(year__lte=PLAUSIBLE_YEARS[-1]),
        name=f"{prefix}_year_plausible",
        violation_error_message=_("The year must be between 1900 and 2999."),
    )


def one_of(verbose_name, choices: type[models.TextChoices], default, **options):
    """A field holding one of `choices` (short codes, at most ten letters)."""
    return models.CharField(
        verbose_name, max_length=10, choices=choices.choices, default=default, **options
    )


def optional_link(to: str, verbose_name, **options) -> models.ForeignKey:
    """A link to another row that may be missing, and is emptied if that row is deleted."""
    return models.ForeignKey(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


def staff_member(verbose_name, **options) -> models.ForeignKey:
    """Who did something to a row; kept as empty if their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


class PlainNumberFormField(forms.DecimalField):
    """A decimal shown as written: 59 and 19.9, not 59.00 and 19.90."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


class ExactNumberField(models.DecimalField):
    """A number kept exactly as published (a Decimal), shown in forms without padding zeros."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PlainNumberFormField, **kwargs})


def optional_line(verbose_name, max_length: int = 200, **options) -> models.CharField:
    """A line of text staff may leave empty (stored as "", never NULL)."""
    return models.CharField(verbose_name, max_length=max_length, blank=True, **options)


def optional_code(verbose_name, max_length: int, help_text) -> models.SlugField:
    """A short code of letters, digits and hyphens staff may leave empty."""
    return models.SlugField(verbose_name, max_length=max_length, blank=True, help_text=help_text)


def optional_text(verbose_name, **options) -> models.TextField:
    """Running text staff may leave empty."""
    return models.TextField(verbose_name, blank=True, **options)


def web_slug(help_text) -> WebSlugField:
    return WebSlugField(
        _("slug"),
        max_length=80,
        blank=True,
        help_text=help_text,
        error_messages={"invalid": INVALID_SLUG},
    )


class Slugged(models.Model):
    """Rows with a slug unique within a parent (or, with no `slug_scope`, among all rows of the
    model), filled in when staff leave it empty."""

    slug_source = ""
    slug_scope = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.fill_slug()
        super().save(*args, **kwargs)

    def fill_slug(self) -> None:
        if self.slug:
            return
        translations = [
            getattr(self, languages.column(self.slug_source, code)) or ""
            for code in languages.translation_languages()
        ]
        source = getattr(self, languages.column(self.slug_source, languages.source_language()))
        base = slug_from(next(filter(None, translations), ""), source or "")
        base = base or self._meta.model_name
        scope = (
            {f"{self.slug_scope}_id": getattr(self, f"{self.slug_scope}_id")}
            if self.slug_scope
            else {}
        )
        siblings = type(self)._default_manager.filter(**scope).exclude(pk=self.pk)
        taken = set(siblings.values_list("slug", flat=True))
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        self.slug = slug


def prefix_of(path: str) -> str:
    return f"{path}__" if path else ""


class Sharing(NamedTuple):
    """How a page about a row reads when it is shared: Open Graph, search results."""

    title: str
    description: str


class Content(models.Model):
    """A row residents may see, with the rows its visibility depends on.

    `public_when` lists alternatives; each names the publishable rows (by relation path, "" for
    the row itself) that must all be live. For rows of a review, its last path leads to the
    review.
    """

    public_when: tuple[tuple[str, ...], ...] = ()
    # Fields written in each language (translation.py registers them with modeltranslation).
    translated_fields: tuple[str, ...] = ()
    # Fields whose missing translation shows this value instead of the source text.
    fallback_undefined: dict[str, object] = {}
    # Fields staff and residents search, in the order a search snippet prefers them.
    search_fields: tuple[str, ...] = ()
    # The site's column the rows are shown in (a Column row names it and sets its rules), and,
    # on the model whose rows the column lists, the name of the column's list page.
    column_key = "review"
    column_list_url = ""
    # Whether rows belong to a yearly review (the last path of public_when leads to it), or
    # stand on their own, as news and places do.
    in_review = True

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def unit_root(self) -> Publishable:
        """The review or keyword whose unit of editing this row belongs to."""
        raise NotImplementedError

    @property
    def is_published(self) -> bool:
        """Whether residents can see this row now: the Python side of published()."""
        now = timezone.now()

        def live(path: str) -> bool:
            obj = self
            for name in filter(None, path.split("__")):
                obj = getattr(obj, name)
                if obj is None:
                    return False
            return PublicationState.of(obj.status, obj.publish_at, now) == PublicationState.LIVE

        return any(all(live(path) for path in paths) for paths in self.public_when)


def sees_unpublished(user) -> bool:
    """Staff see every row, published or not; everyone else sees what is published."""
    return user.is_active and user.is_staff


class ContentQuerySet(models.QuerySet):
    """Every content QuerySet: what residents see, what staff see, search and review scope."""

    def published(self) -> ContentQuerySet:
        now = timezone.now()
        condition = Q(pk__in=[])
        for paths in self.model.public_when:
            alternative = Q()
            for path in paths:
                alternative &= PublicationState.q(PublicationState.LIVE, now, prefix_of(path))
            condition |= alternative
        return self.filter(condition)

    def visible_to(self, user) -> ContentQuerySet:
        if sees_unpublished(user):
            return self.all()
        return self.published()

    def for_review(self, review) -> ContentQuerySet:
        """The rows that belong to one review (given as a row or its primary key)."""
        if not self.model.in_review:
            return self.none()
        review_pk = getattr(review, "pk", review)
        condition = Q(pk__in=[])
        for paths in self.model.public_when:
            # Only the alternatives that lead to a review: a photo may hang on a news story.
            if paths[-1] == "" or paths[-1].endswith("review"):
                condition |= Q(**{paths[-1] or "pk": review_pk})
        return self.filter(condition)

    def matching(self, term: str) -> ContentQuerySet:
        """Rows whose text contains the term in any language (substring match, so Chinese works)."""
        condition = Q()
        for column in languages.columns(self.model.search_fields):
            condition |= Q(**{f"{column}__icontains": term})
        return search_index.narrowed(self, term).filter(condition)


class PublishableQuerySet(ContentQuerySet):
    def in_state(self, state: str) -> PublishableQuerySet:
        """Rows in a PublicationState by their own status and publish date."""
        return self.filter(PublicationState.q(state, timezone.now()))

    @staticmethod
    def pending_changes_q() -> Q:
        """Published units whose latest revision is not the live one: the SQL side of
        Publishable.has_pending_changes."""
        return Q(status=Status.PUBLISHED, latest_revision__isnull=False) & (
            Q(live_revision__isnull=True) | ~Q(latest_revision=F("live_revision"))
        )

    def next_change(self, now: datetime) -> datetime | None:
        """The first moment after `now` at which what residents see of these rows changes on
        its own: the next publish date."""
        return self.filter(publish_at__gt=now).aggregate(next=models.Min("publish_at"))["next"]

    def with_pending_changes(self) -> PublishableQuerySet:
        return self.filter(self.pending_changes_q())


class Publishable(Content):
    """Content with its own status and publish date: reviews and keywords.

    Each is also the root of a unit of editing: its own row and the rows `unit_members` lists,
    saved, merged, published and restored together as revisions (revisions.py). The live rows
    are the unit's `live_revision` while it is published, its `latest_revision` otherwise.
    """

    # Columns a revision never changes: the place in the parent (reordering is a publisher's
    # act on the live rows) and the unit's own bookkeeping.
    kept_when_applying = ("position", "review", "created_at", "live_revision", "latest_revision")
    # The publication decision: kept as it is live when pending changes are published or an
    # older version is restored.
    publication_fields = ("status", "publish_at")

    status = one_of(
        _("status"),
        Status,
        Status.UNPUBLISHED,
        help_text=_("Unpublished content is visible to staff only."),
    )
    publish_at = models.DateTimeField(
        _("publish date"),
        default=timezone.now,
        help_text=_("Published content appears on the public site from this moment on."),
    )
    live_revision = optional_link("highlights.Revision", _("live revision"), editable=False)
    latest_revision = optional_link("highlights.Revision", _("latest revision"), editable=False)
    revisions = GenericRelation("highlights.Revision")

    class Meta:
        abstract = True

    @property
    def unit_root(self) -> Publishable:
        return self

    def unit_members(self) -> list[Content]:
        """The unit's other rows as they are live, parents before the rows that point at them:
        a unit type declares its children here and the editing core needs nothing else."""
        return []

    def publication_problems(self) -> list[str]:
        """Why the unit cannot be published as it is, in words for a publisher (none here; a
        service guide lacking a required element has some)."""
        return []

    @property
    def saves_are_pending(self) -> bool:
        """Whether a save records pending changes instead of changing the live rows."""
        return self.status == Status.PUBLISHED

    @property
    def has_pending_changes(self) -> bool:
        return (
            self.saves_are_pending
            and self.latest_revision_id is not None
            and self.latest_revision_id != self.live_revision_id
        )

    @property
    def publication_state(self) -> PublicationState:
        """This row's own state, regardless of its parents."""
        return PublicationState.of(self.status, self.publish_at, timezone.now())


class ColumnQuerySet(PublishableQuerySet):
    """Rows of the site's columns: news, notices, places, service guides."""

    def newest_first(self) -> ColumnQuerySet:
        return self.order_by("-publish_at", "-pk")

    def get_by_natural_key(self, slug: str) -> ColumnUnit:
        return self.get(slug=slug)


class ColumnUnit(Publishable, Slugged):
    """A unit of one of the site's columns, outside the yearly reviews: public by its own
    status and date, known by a slug unique among its kind, named by its `slug_source`."""

    slug_scope = ""
    in_review = False
    public_when = (("",),)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return getattr(self, self.slug_source)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


def unit_models() -> list[type[Publishable]]:
    """The models whose rows are roots of units of editing (reviews, keywords)."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def position_in(parent) -> models.PositiveSmallIntegerField:
    """The position an Ordered row keeps within its parent (`parent`: the parent's name)."""
    return models.PositiveSmallIntegerField(
        _("position"),
        blank=True,
        help_text=format_lazy(
            _("Order within the {parent}, starting at 1. Leave empty for the next place."),
            parent=parent,
        ),
    )


class Ordered(models.Model):
    """Rows ordered by position within a parent, `position_scope`, reorderable in place; a row
    saved without a position takes the next free one."""

    position_scope = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.position is None:
            top = self.position_siblings().aggregate(top=models.Max("position"))["top"]
            self.position = (top or 0) + 1
        super().save(*args, **kwargs)

    def position_siblings(self) -> models.QuerySet:
        return type(self)._default_manager.filter(
            **{f"{self.position_scope}_id": getattr(self, f"{self.position_scope}_id")}
        )

    @classmethod
    def move_selected(cls, selected, step: int) -> int:
        """Move the selected rows one place up (step < 0) or down, within their parents.

        Selected rows move as blocks keeping their order: a row moves past its neighbour only if
        that neighbour is not selected too, so rows already at the edge hold the rows behind
        them. Positions are only permuted, through a parking step past the last one, so the
        unique position per parent never fails. Returns how many rows moved.
        """
        scope = f"{cls.position_scope}_id"
        chosen = {row.pk for row in selected}
        parents = {getattr(row, scope) for row in selected}
        moved = 0
        with transaction.atomic():
            for parent in parents:
                siblings = list(
                    cls._default_manager.select_for_update()
                    .filter(**{scope: parent})
                    .order_by("position")
                )
                moved += cls._move_block(siblings, chosen, step)
        return moved

    @classmethod
    def _move_block(cls, siblings: list, chosen: set, step: int) -> int:
        positions = [row.position for row in siblings]
        order = siblings if step < 0 else siblings[::-1]
        for index in range(1, len(order)):
            if order[index].pk in chosen and order[index - 1].pk not in chosen:
                order[index - 1], order[index] = order[index], order[index - 1]
        arranged = order if step < 0 else order[::-1]
        changed = [
            (row, position)
            for row, position in zip(arranged, positions, strict=True)
            if row.position != position
        ]
        if not changed:
            return 0
        parking = max(positions) + 1
        cls._default_manager.filter(pk__in=[row.pk for row, _position in changed]).update(
            position=models.F("position") + parking
        )
        for row, position in changed:
            row.position = position
            row.save(update_fields=["position", "updated_at"])
        return sum(1 for row, _position in changed if row.pk in chosen)
