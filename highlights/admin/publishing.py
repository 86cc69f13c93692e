"""Publishing in the admin: the publication fields only publishers change, the pending-changes
page (publish now, schedule, discard), the list's publish actions, and reordering."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from .. import revisions
from ..middleware import ScheduledPublishingMiddleware
from ..models import Keyword, Review, Revision
from ..publishing import PublicationState, Publishable, Status, local_minute
from ..roles import can_publish
from .units import UnitAdmin, conflict_message, image_preview, object_page, unit_url


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when <= timezone.now():
            raise forms.ValidationError(
                _("Choose a moment in the future, or publish now."), code="past"
            )
        return when


class OrderedAdmin(admin.ModelAdmin):
    """Move rows up or down their parent's order without renumbering by hand."""

    @admin.action(description=_("Move selected up one place"), permissions=["change"])
    def move_up(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, -1)

    @admin.action(description=_("Move selected down one place"), permissions=["change"])
    def move_down(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, 1)

    def _move(self, request: HttpRequest, queryset: QuerySet, step: int) -> None:
        rows = list(queryset)
        if issubclass(self.model, Publishable):
            # A keyword's place in its review is public as soon as it changes; no draft holds it.
            if any(row.saves_are_pending for row in rows) and not can_publish(
                request.user, self.model
            ):
                self.message_user(
                    request,
                    _("Only a publisher can reorder published items: their order is public."),
                    messages.ERROR,
                )
                return
            moved = self.model.move_selected(rows, step)
        else:
            moved = 0
            rows.sort(key=lambda row: row.unit_root.pk)
            for _root_pk, group in groupby(rows, key=lambda row: row.unit_root.pk):
                group = list(group)
                with revisions.editing(group[0].unit_root, request.user, write=True) as edit:
                    # The rows as the unit's latest revision has them, maybe elsewhere.
                    chosen = self.model._default_manager.filter(pk__in=[row.pk for row in group])
                    moved += self.model.move_selected(list(chosen), step)
                    edit.saved = True
        self.message_user(
            request,
            ngettext("%(count)d item moved.", "%(count)d items moved.", moved) % {"count": moved},
            messages.SUCCESS if moved else messages.WARNING,
        )


class PublicationFieldsMixin:
    """Admin forms and inlines whose publication fields only publishers may change."""

    publication_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user, self.model):
            readonly += self.publication_fields
        return readonly


class PublishableAdmin(PublicationFieldsMixin, UnitAdmin, TabbedTranslationAdmin):
    """Status and publish date are a publisher's decision; editors see them read-only."""

    actions = ["publish", "unpublish"]
    readonly_fields = ["cover_thumbnail", "created_at", "updated_at"]
    publication_fields = ("status", "publish_at")
    # A page of a unit list costs its rows (about 0.3 ms each, most of it Django's admin
    # drawing cells), not the archive's size: twenty rows, about three years of keywords or a
    # season of weekly news, keep a list of ten years as quick as one of a single year.
    list_per_page = 20

    @admin.display(description=_("cover"))
    def cover_thumbnail(self, obj: Review | Keyword) -> str:
        return image_preview(obj.cover)

    @admin.display(description=_("publication"), ordering="publish_at")
    def publication(self, obj: Review | Keyword) -> str:
        state = obj.publication_state
        review = getattr(obj, "review", None)
        if state != PublicationState.UNPUBLISHED and review is not None:
            review_state = review.publication_state
            if review_state != PublicationState.LIVE:
                # Its own status says published, but residents cannot see it yet.
                return format_html(
                    '<span class="pub pub-hidden">{}</span>',
                    _("Not public: the %(year)d review is %(state)s")
                    % {"year": review.year, "state": str(review_state.label).lower()},
                )
        if state == PublicationState.SCHEDULED:
            when = local_minute(obj.publish_at)
            return format_html('<span class="pub pub-{}">{} · {}</span>', state, state.label, when)
        return format_html('<span class="pub pub-{}">{}</span>', state, state.label)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user, self.model)

    @admin.display(description=_("pending changes"))
    def pending(self, obj: Review | Keyword) -> str:
        schedule = next(iter(obj.schedules), None)
        if not obj.has_pending_changes and schedule is None:
            return "—"
        if schedule is None:
            label = _("Waiting for a publisher")
        elif schedule.pk == obj.latest_revision_id:
            label = _("Scheduled for %(when)s") % {"when": local_minute(schedule.go_live_at)}
        else:
            label = _("Scheduled for %(when)s; newer changes waiting for a publisher") % {
                "when": local_minute(schedule.go_live_at)
            }
        return format_html('<a href="{}">{}</a>', unit_url(obj, "changes"), label)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "revisions",
                    Revision.objects.scheduled().only(
                        "pk", "go_live_at", "content_type", "object_id"
                    ),
                    to_attr="schedules",
                )
            )
        )

    def get_urls(self) -> list:
        return [object_page(self, "changes/", self.changes_view, "changes"), *super().get_urls()]

    def changes_view(self, request: HttpRequest, object_id) -> HttpResponse:
        """The pending changes of a unit beside its live version; publishers publish them now
        or at a later moment, or discard them, here."""
        root = self.unit_of(request, object_id)
        pending = revisions.latest_revision(root) if root.has_pending_changes else None
        scheduled = revisions.scheduled_revision(root)
        schedule_form = ScheduleForm(initial={"publish_at": scheduled and scheduled.go_live_at})
        if request.method == "POST" and (pending is not None or scheduled is not None):
            if not can_publish(request.user, self.model):
                raise PermissionDenied
            if "schedule" not in request.POST:
                return self._decide(request, root, pending)
            schedule_form = ScheduleForm(request.POST)
            if pending is not None and schedule_form.is_valid():
                return self._schedule(request, root, schedule_form)
        return self.unit_page(
            request,
            root,
            _("Pending changes to “%(unit)s”") % {"unit": root},
            "admin/highlights/pending_changes.html",
            pending=pending,
            scheduled=scheduled,
            changes=revisions.pending_changes(root) if pending else [],
            may_publish=can_publish(request.user, self.model),
            schedule_form=schedule_form,
            conflict=conflict_message(root),
        )

    def _decide(self, request: HttpRequest, root, pending: Revision | None) -> HttpResponse:
        if "unschedule" in request.POST:
            revisions.unschedule(root)
            self.message_user(
                request,
                _("The pending changes to “%(unit)s” are no longer scheduled.") % {"unit": root},
                messages.SUCCESS,
            )
            return redirect(admin_urlname(root._meta, "changes"), root.pk)
        if pending is None:
            return redirect(admin_urlname(root._meta, "changes"), root.pk)
        if "discard" in request.POST:
            revisions.discard(root, request.user)
            self.message_user(
                request,
                _("The pending changes to “%(unit)s” were discarded.") % {"unit": root},
                messages.SUCCESS,
            )
        else:
            try:
                revisions.publish(pending, request.user)
            except revisions.RevisionConflictError:
                self.message_user(request, conflict_message(root), messages.ERROR)
                return redirect(admin_urlname(root._meta, "changes"), root.pk)
            self.message_user(
                request,
                _("Published: residents now see the changes to “%(unit)s”.") % {"unit": root},
                messages.SUCCESS,
            )
        return redirect(admin_urlname(root._meta, "change"), root.pk)

    def _schedule(self, request: HttpRequest, root, form) -> HttpResponse:
        when = form.cleaned_data["publish_at"]
        revisions.schedule(root, when, request.user)
        ScheduledPublishingMiddleware.check_soon()
        self.message_user(
            request,
            _(
                "The pending changes to “%(unit)s” will be published at %(when)s, as you see "
                "them now. Changes saved after this stay pending for a publisher."
            )
            % {"unit": root, "when": local_minute(when)},
            messages.SUCCESS,
        )
        return redirect(admin_urlname(root._meta, "changes"), root.pk)

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        empty = [obj for obj in queryset if not self.has_public_content(obj)]
        if empty and "confirm" not in request.POST:
            return TemplateResponse(
                request,
                "admin/highlights/confirm_publish.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": _("Publish with nothing to show?"),
                    "empty": empty,
                    "selected": queryset,
                },
            )
        self._set_status(request, queryset, Status.PUBLISHED)
        return None

    def has_public_content(self, obj: Review | Keyword) -> bool:
        """Whether publishing shows residents anything: a review needs a published keyword."""
        return True

    @admin.action(description=_("Unpublish selected items"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.UNPUBLISHED)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: Status) -> None:
        changed = []
        for obj in queryset:
            problems = obj.publication_problems() if status == Status.PUBLISHED else []
            for problem in problems:
                self.message_user(request, problem, messages.ERROR)
            if not problems:
                revisions.set_status(obj, status, request.user)
                changed.append(obj)
        count = len(changed)
        if not count:
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d item is now “%(status)s”.",
                "%(count)d items are now “%(status)s”.",
                count,
            )
            % {"count": count, "status": status.label},
            messages.SUCCESS,
        )
