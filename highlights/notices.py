"""Notices (通知公告): who issued them, their document number, until when they hold, and the
documents attached to them."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .attachments import ATTACHMENTS_DIR, document_type, validate_document
from .markup import plain_text, render_markup
from .publishing import (
    ColumnQuerySet,
    ColumnUnit,
    Content,
    ContentQuerySet,
    Sharing,
    Status,
    optional_line,
    optional_text,
    unique_slug,
    web_slug,
)


class NoticeQuerySet(ColumnQuerySet):
    def current(self) -> NoticeQuerySet:
        """Notices still in force: no end date, or one not yet past (in the town's time)."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))

    def next_change(self, now: datetime) -> datetime | None:
        """Besides a publish date, the first midnight at which a published notice expires."""
        scheduled = super().next_change(now)
        last_day = (
            self.filter(status=Status.PUBLISHED, valid_until__gte=timezone.localdate(now))
            .order_by("valid_until")
            .values_list("valid_until", flat=True)
            .first()
        )
        if last_day is None:
            return scheduled
        expires = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time()))
        return min(filter(None, (scheduled, expires)))


class Notice(ColumnUnit):
    """A notice to residents, e.g. a consultation, a closure, a call for applications."""

    slug_source = "title"
    # The document number is the same in every language; translated only so that search and the
    # admin read it as they read every searched field (an empty translation shows the original).
    translated_fields = ("title", "issuer", "document_number", "body")
    search_fields = ("title", "document_number", "issuer", "body")
    column_key = "notice"
    column_list_url = "highlights:notice_list"

    title = models.CharField(_("title"), max_length=200)
    slug = web_slug(
        _(
            "Stable ASCII web address part, unique among notices. Leave empty to fill it from "
            "the English title, or the Chinese title in pinyin."
        )
    )
    issuer = optional_line(_("issued by"), help_text=_("e.g. 新泾镇人民政府."))
    document_number = optional_line(
        _("document number"),
        max_length=100,
        help_text=_("文号, where the notice has one, e.g. 长新府〔2024〕1号."),
    )
    body = optional_text(
        _("body"),
        help_text=_(
            "Separate paragraphs with a blank line; ## starts a heading, - a list item, "
            "[text](https://…) makes a link. HTML is shown as typed, never run."
        ),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the notice holds; after it, it is shown as expired."),
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [("publish_notice", _("Can publish and unpublish notices"))]
        constraints = [
            unique_slug("notice", _("Another notice has this slug.")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("highlights:notice_detail", kwargs={"slug": self.slug})

    @property
    def source(self) -> str:
        return self.issuer

    @property
    def sharing(self) -> Sharing:
        return Sharing(self.title, Truncator(plain_text(self.body)).chars(160))

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def body_html(self) -> SafeString:
        return render_markup(self.body)

    def unit_members(self) -> list[Content]:
        return list(self.attachments.order_by("id"))


def stored_name(attachment: Attachment, filename: str) -> str:
    """A name of our own on disk (the reader's download keeps the original's)."""
    extension = document_type(attachment.file).extension
    return f"{ATTACHMENTS_DIR}/{uuid.uuid4().hex}.{extension}"


class Attachment(Content):
    """A document attached to a notice, served for download under the name it was uploaded with."""

    public_when = (("notice",),)
    in_review = False
    translated_fields = ("title",)

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    file = models.FileField(
        _("file"),
        upload_to=stored_name,
        max_length=200,
        validators=[validate_document],
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument."),
    )
    title = optional_line(_("title"), help_text=_("Leave empty to show the file's name."))
    file_name = models.CharField(_("file name"), max_length=200, editable=False, blank=True)
    size = models.PositiveBigIntegerField(_("size"), editable=False, default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title or self.file_name

    @property
    def unit_root(self) -> Notice:
        return self.notice

    def save(self, *args, **kwargs) -> None:
        if self.file and not self.file._committed:
            self.file_name = PurePath(self.file.name).name[:200]
            self.size = self.file.size
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "highlights:notice_attachment", kwargs={"slug": self.notice.slug, "pk": self.pk}
        )

    @property
    def extension(self) -> str:
        return PurePath(self.file.name).suffix.lstrip(".").upper()
