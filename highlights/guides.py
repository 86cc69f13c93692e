"""Service guides (办事指南): how to get something done, with every element the State Council's
inspection indicators require of a guide. A guide missing one cannot be published."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import languages
from .publishing import (
    ColumnQuerySet,
    ColumnUnit,
    Sharing,
    Status,
    optional_line,
    optional_text,
    unique_slug,
    web_slug,
)


class ServiceGuideQuerySet(ColumnQuerySet):
    def by_title(self) -> ServiceGuideQuerySet:
        return self.order_by(languages.column("title", languages.source_language()))


class ServiceGuide(ColumnUnit):
    """One service residents can get done, e.g. registering for a community canteen."""

    slug_source = "title"
    translated_fields = (
        "title",
        "basis",
        "conditions",
        "materials",
        "process",
        "location",
        "hours",
        "fees",
        "time_limit",
    )
    search_fields = ("title", "conditions", "materials", "location")
    column_key = "serviceguide"
    column_list_url = "highlights:guide_list"
    # The elements the inspection indicators require (事项名称 is the title, always required).
    required_elements = ("basis", "conditions", "materials", "location", "hours", "phone")

    title = models.CharField(_("name of the service"), max_length=200, help_text=_("事项名称."))
    slug = web_slug(
        _(
            "Stable ASCII web address part, unique among guides. Leave empty to fill it from "
            "the English name, or the Chinese name in pinyin."
        )
    )
    basis = optional_text(
        _("legal basis"), help_text=_("设定依据: the rules the service rests on.")
    )
    conditions = optional_text(_("who may apply"), help_text=_("申请条件."))
    materials = optional_text(
        _("documents to bring"), help_text=_("办理材料. One document a line.")
    )
    process = optional_text(_("steps"), help_text=_("办理流程. One step a line."))
    location = optional_text(
        _("where to go"), help_text=_("办理地点. Link the places below as well.")
    )
    hours = optional_line(_("when"), help_text=_("办理时间, e.g. 工作日 9:00–17:00."))
    phone = optional_line(_("enquiries phone"), max_length=50, help_text=_("咨询电话."))
    fees = optional_line(_("fees"), help_text=_("收费标准, e.g. 不收费."))
    time_limit = optional_line(_("time limit"), help_text=_("办理时限, e.g. 5个工作日."))
    places = models.ManyToManyField(
        "highlights.Place",
        blank=True,
        related_name="guides",
        verbose_name=_("places"),
        help_text=_("The places where the service is done."),
    )

    objects = ServiceGuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")
        permissions = [("publish_serviceguide", _("Can publish and unpublish service guides"))]
        constraints = [
            unique_slug("serviceguide", _("Another guide has this slug.")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("highlights:guide_detail", kwargs={"slug": self.slug})

    @property
    def sharing(self) -> Sharing:
        return Sharing(self.title, Truncator(self.conditions).chars(160))

    def element_column(self, name: str) -> str:
        """The column a required element is written in first: the source language's."""
        if name in self.translated_fields:
            return languages.column(name, languages.source_language())
        return name

    def missing_elements(self) -> list[str]:
        """The required elements left empty."""
        return [
            name for name in self.required_elements if not getattr(self, self.element_column(name))
        ]

    def publication_problems(self) -> list[str]:
        return [
            _("“%(guide)s” cannot be published without its “%(element)s”.")
            % {"guide": self, "element": self._meta.get_field(name).verbose_name}
            for name in self.missing_elements()
        ]

    def clean(self) -> None:
        super().clean()
        missing = self.missing_elements()
        if self.status == Status.PUBLISHED and missing:
            raise ValidationError(
                {
                    self.element_column(name): _(
                        "A published guide needs its “%(element)s”: fill it in, or unpublish."
                    )
                    % {"element": self._meta.get_field(name).verbose_name}
                    for name in missing
                }
            )
