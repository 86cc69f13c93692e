"""Where town staff edit the reviews: tabbed Chinese/English fields, inlines in review order,
drafts of published units, history with restore, scheduled publishing, previews and
reordering."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from . import drafts, languages
from .history import history_entries
from .middleware import ScheduledDraftsMiddleware
from .models import Award, Draft, Figure, Initiative, Keyword, Photo, Review, SiteIdentity
from .presence import note_open_form, others_with_form_open
from .publishing import PublicationState, Publishable, Status, local_minute
from .roles import can_publish
from .translation_status import REVIEW_PARAMETER, english_fields, missing_english_q


def searchable(model: type, *extra: str) -> list[str]:
    """The admin's search fields: every language's column of the model's search_fields."""
    return [*languages.columns(model.search_fields), *extra]


class ReviewFilter(admin.SimpleListFilter):
    """Rows of one review, however they hang on it (the translation panel links here)."""

    title = _("review")
    parameter_name = REVIEW_PARAMETER

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(review.pk), str(review.year)) for review in Review.objects.order_by("-year")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() and self.value().isascii() and self.value().isdigit():
            return queryset.for_review(int(self.value()))
        return queryset


class TwoWayFilter(admin.SimpleListFilter):
    """Rows that meet a condition, or rows that do not: `ways` names the two, in that order."""

    ways: tuple[tuple[str, str], tuple[str, str]]

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> tuple:
        return self.ways

    def condition(self, model: type) -> Q:
        raise NotImplementedError

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        meets, fails = (value for value, _label in self.lookup_choices[:2])
        if self.value() == meets:
            return queryset.filter(self.condition(queryset.model))
        if self.value() == fails:
            return queryset.exclude(self.condition(queryset.model))
        return queryset


class MissingEnglishFilter(TwoWayFilter):
    """Rows lacking English anywhere (?english=missing) or in one field (?english=missing-title)."""

    title = _("English translation")
    parameter_name = "english"
    ways = (("missing", _("Missing")), ("complete", _("Complete")))

    def condition(self, model: type) -> Q:
        return missing_english_q(model)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or ""
        field = value.removeprefix("missing-")
        if value.startswith("missing-") and field in english_fields(queryset.model):
            return queryset.filter(missing_english_q(queryset.model, field))
        return super().queryset(request, queryset)


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return PublicationState.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in PublicationState.values:
            return queryset.in_state(self.value())
        return queryset


def image_preview(file) -> str:
    if not file:
        return "—"
    return format_html('<img src="{}" alt="" width="120">', file.url)


class PendingDraftFilter(TwoWayFilter):
    title = _("pending changes")
    parameter_name = "pending"
    ways = (("yes", _("Waiting for a publisher")), ("no", _("None")))

    def condition(self, model: type) -> Q:
        return Q(drafts__isnull=False)


def stale_form_message(root: Publishable) -> str:
    """Why a save from an older revision was refused, and how to see the other change."""
    who = root.revised_by.get_username() if root.revised_by else _("someone")
    when = local_minute(root.revised_at)
    return format_html(
        '{} {} <a href="{}" target="_blank" rel="noopener">{}</a>',
        _(
            "%(who)s saved “%(unit)s” at %(when)s, after you opened this form. Your input is kept "
            "below and nothing was saved. Saving again replaces their version with this form."
        )
        % {"who": who, "unit": root, "when": when},
        _("Open their version in a new tab to compare:"),
        reverse(
            admin_urlname(root._meta, "changes" if root.edits_are_drafted else "change"),
            args=[root.pk],
        ),
        _("the current version"),
    )


def keep_empty_translations(form_class, model) -> None:
    """An empty translation of a field where empty is a real value (an English unit) is saved
    as empty, not NULL: NULL falls back to the source language (“3 座 pocket parks”)."""
    for field in model.fallback_undefined:
        for code in languages.translation_languages():
            column = languages.column(field, code)
            if column in form_class.base_fields:
                form_class.base_fields[column].empty_value = ""


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


def object_page(model_admin: admin.ModelAdmin, route: str, view, name: str):
    """An extra admin page of one object, e.g. …/keyword/3/changes/, named as the admin names
    its own (admin:highlights_keyword_changes)."""
    return path(
        f"<path:object_id>/{route}",
        model_admin.admin_site.admin_view(view),
        name=f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_{name}",
    )


class UnitAdmin(admin.ModelAdmin):
    """Every admin page that writes to a unit (a review, or a keyword with its rows) goes
    through drafts.editing(): edits of a published unit become its pending draft, and a form
    opened at an older revision of the unit is refused with the user's input kept."""

    change_form_template = "admin/highlights/change_form.html"

    def new_row_root(self, request: HttpRequest) -> Publishable | None:
        """The unit a row being added joins (none for a new review or keyword)."""
        return None

    def unit_root_for(self, request: HttpRequest, object_id) -> Publishable | None:
        if object_id is None:
            return self.new_row_root(request)
        obj = self.get_object(request, unquote(object_id))
        return obj.unit_root if obj is not None else None

    # A saved row stays in its unit and in its place (reorder with the move actions). Shown
    # disabled rather than read-only, so the unique rules that involve them are still checked.
    fixed_once_saved: tuple[str, ...] = ()

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        keep_empty_translations(form, self.model)
        if obj is not None:
            for name in self.fixed_once_saved:
                if name in form.base_fields:
                    form.base_fields[name].disabled = True
        conflict = getattr(request, "unit_conflict", None)
        if conflict is not None:
            # Patched on this request's own form class (get_form builds a new one each call):
            # a subclass would rebuild the fields and lose the admin's widgets and settings.
            validate = form.clean

            def refuse_stale(self):
                validate(self)
                raise forms.ValidationError(conflict, code="stale")

            form.clean = refuse_stale
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        root = self.unit_root_for(request, object_id)
        if root is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        return self._in_unit(
            request,
            root,
            lambda context: super(UnitAdmin, self).changeform_view(
                request, object_id, form_url, context
            ),
            extra_context,
        )

    def delete_view(self, request, object_id, extra_context=None):
        root = self.unit_root_for(request, object_id)
        # Deleting a whole review or keyword is a publisher's act on the live rows.
        if root is None or issubclass(self.model, Publishable):
            return super().delete_view(request, object_id, extra_context)
        return self._in_unit(
            request,
            root,
            lambda context: super(UnitAdmin, self).delete_view(request, object_id, context),
            extra_context,
        )

    def _in_unit(self, request, root, view, extra_context) -> HttpResponse:
        write = request.method == "POST"
        with drafts.editing(root, request.user, write=write) as edit:
            request.unit_edit = edit
            opened_at = request.POST.get("unit_revision", "") if write else ""
            if opened_at and opened_at != str(edit.root.revision):
                request.unit_conflict = stale_form_message(edit.root)
            if not write and request.resolver_match.url_name.endswith("_change"):
                note_open_form(edit.root, request.user)
            context = {**(extra_context or {}), **self.unit_context(request, edit, opened_at)}
            response = view(context)
            edit.saved = write and response.status_code == 302
            if hasattr(response, "render"):
                response.render()
        if edit.saved and edit.drafted and "_publish" in request.POST:
            self._publish_now(request, edit.root)
        return response

    def unit_context(self, request, edit: drafts.Edit, opened_at: str) -> dict:
        stale = getattr(request, "unit_conflict", None) is not None
        return {
            "unit_root": edit.root,
            "unit_revision": edit.root.revision if stale or not opened_at else opened_at,
            "unit_drafted": edit.drafted,
            "unit_draft": edit.draft,
            "unit_changes_url": reverse(
                admin_urlname(edit.root._meta, "changes"), args=[edit.root.pk]
            ),
            "unit_others": others_with_form_open(edit.root, request.user),
            "can_publish_now": edit.drafted and can_publish(request.user, type(edit.root)),
        }

    def _publish_now(self, request, root: Publishable) -> None:
        if not can_publish(request.user, type(root)):
            raise PermissionDenied
        try:
            drafts.publish(drafts.pending_draft(root), request.user)
        except drafts.DraftConflictError:
            self.message_user(request, conflict_message(root), messages.ERROR)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs) -> None:
        edit = getattr(request, "unit_edit", None)
        if edit is not None and edit.drafted and level == messages.SUCCESS:
            message = drafted_message(request, edit.root)
        super().message_user(request, message, level, *args, **kwargs)


def drafted_message(request, root: Publishable) -> str:
    if "_publish" in request.POST and can_publish(request.user, type(root)):
        return _("Saved and published: residents now see these changes to “%(unit)s”.") % {
            "unit": root
        }
    return format_html(
        '{} <a href="{}">{}</a>',
        _(
            "Saved as pending changes to “%(unit)s”. Residents see the published version until "
            "a publisher publishes them."
        )
        % {"unit": root},
        reverse(admin_urlname(root._meta, "changes"), args=[root.pk]),
        _("See the pending changes"),
    )


def conflict_message(root: Publishable) -> str:
    return _(
        "The pending changes to “%(unit)s” could not be published: another row now has the "
        "same position or slug. Change it in the form and save again."
    ) % {"unit": root}


class HistoryAdmin(SimpleHistoryAdmin, UnitAdmin, TabbedTranslationAdmin):
    """Every change is recorded (who, when, which fields, both languages); only publishers may
    restore an earlier version, which brings back its whole unit."""

    object_history_template = "admin/highlights/object_history.html"
    history_entries_per_page = 50

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return not can_publish(request.user, Keyword) or super().revert_disabled(request, obj)

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        """Each save one entry, inline rows included, one line per field and language."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # A deleted row: django-simple-history shows what its records say.
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        paginator = Paginator(history_entries(obj), self.history_entries_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of “%(item)s”") % {"item": obj},
            "opts": self.opts,
            "object": obj,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "revert_disabled": self.revert_disabled(request, obj),
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_template, context)

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        if not can_publish(request.user, Keyword):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        version = get_object_or_404(obj.history, pk=version_id)
        root = obj.unit_root
        try:
            draft = drafts.restore(root, version, request.user)
        except drafts.DraftConflictError:
            self.message_user(request, conflict_message(root), messages.ERROR)
            return redirect(admin_urlname(root._meta, "change"), root.pk)
        when = local_minute(version.history_date)
        if draft is None:
            self.message_user(
                request,
                _("“%(unit)s” is back as it was at %(when)s.") % {"unit": root, "when": when},
                messages.SUCCESS,
            )
            return redirect(admin_urlname(root._meta, "change"), root.pk)
        self.message_user(
            request,
            _(
                "“%(unit)s” as it was at %(when)s is now its pending changes: publish them to "
                "bring it back on the site."
            )
            % {"unit": root, "when": when},
            messages.SUCCESS,
        )
        return redirect(admin_urlname(root._meta, "changes"), root.pk)

    def get_urls(self) -> list:
        return [
            object_page(self, "preview/<str:language>/", self.preview_view, "preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id, language: str) -> HttpResponse:
        """The public page as it will look once the unit's pending changes are published."""
        if language not in languages.codes() or not self.has_view_permission(request):
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        with drafts.editing(obj.unit_root, request.user, write=False):
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            with translation.override(language):
                request.path = request.path_info = obj.get_absolute_url()
                request.LANGUAGE_CODE = language
                match = resolve(request.path_info)
                request.resolver_match = match
                response = match.func(request, *match.args, **match.kwargs)
                if hasattr(response, "render"):
                    response.render()
        return response


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
            if any(row.edits_are_drafted for row in rows) and not can_publish(
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
                with drafts.editing(group[0].unit_root, request.user, write=True) as edit:
                    # The rows as the unit's draft has them, where they may sit elsewhere.
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


class PublishableAdmin(PublicationFieldsMixin, HistoryAdmin):
    """Status and publish date are a publisher's decision; editors see them read-only."""

    actions = ["publish", "unpublish"]
    readonly_fields = ["cover_thumbnail", "created_at", "updated_at"]
    publication_fields = ("status", "publish_at")

    @admin.display(description=_("cover"))
    def cover_thumbnail(self, obj: Review | Keyword) -> str:
        return image_preview(obj.cover)

    @admin.display(description=_("publication"), ordering="publish_at")
    def publication(self, obj: Review | Keyword) -> str:
        state = obj.publication_state
        review = getattr(obj, "review", None)
        if state != PublicationState.DRAFT and review is not None:
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
        draft = next(iter(obj.drafts.all()), None)
        if draft is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse(admin_urlname(obj._meta, "changes"), args=[obj.pk]),
            draft.state_label,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("drafts")

    def get_urls(self) -> list:
        return [object_page(self, "changes/", self.changes_view, "changes"), *super().get_urls()]

    def changes_view(self, request: HttpRequest, object_id) -> HttpResponse:
        """The pending changes of a unit beside its live version; publishers publish them now
        or at a later moment, or discard them, here."""
        root = self.get_object(request, unquote(object_id))
        if root is None or not self.has_view_permission(request, root):
            raise Http404
        draft = drafts.pending_draft(root)
        schedule_form = ScheduleForm(initial={"publish_at": draft and draft.publish_at})
        if request.method == "POST" and draft is not None:
            if not can_publish(request.user, self.model):
                raise PermissionDenied
            if "schedule" not in request.POST:
                return self._decide(request, root, draft)
            schedule_form = ScheduleForm(request.POST)
            if schedule_form.is_valid():
                return self._schedule(request, root, draft, schedule_form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Pending changes to “%(unit)s”") % {"unit": root},
            "root": root,
            "draft": draft,
            "changes": drafts.compare(root, draft.data) if draft else [],
            "may_publish": can_publish(request.user, self.model),
            "schedule_form": schedule_form,
            "conflict": conflict_message(root),
        }
        return TemplateResponse(request, "admin/highlights/pending_changes.html", context)

    def _decide(self, request: HttpRequest, root, draft: Draft) -> HttpResponse:
        if "discard" in request.POST:
            drafts.discard(draft, request.user)
            self.message_user(
                request,
                _("The pending changes to “%(unit)s” were discarded.") % {"unit": root},
                messages.SUCCESS,
            )
        elif "unschedule" in request.POST:
            drafts.unschedule(draft)
            self.message_user(
                request,
                _("The pending changes to “%(unit)s” are no longer scheduled.") % {"unit": root},
                messages.SUCCESS,
            )
            return redirect(admin_urlname(root._meta, "changes"), root.pk)
        else:
            try:
                drafts.publish(draft, request.user)
            except drafts.DraftConflictError:
                self.message_user(request, conflict_message(root), messages.ERROR)
                return redirect(admin_urlname(root._meta, "changes"), root.pk)
            self.message_user(
                request,
                _("Published: residents now see the changes to “%(unit)s”.") % {"unit": root},
                messages.SUCCESS,
            )
        return redirect(admin_urlname(root._meta, "change"), root.pk)

    def _schedule(self, request: HttpRequest, root, draft: Draft, form) -> HttpResponse:
        when = form.cleaned_data["publish_at"]
        drafts.schedule(draft, when, request.user)
        ScheduledDraftsMiddleware.check_soon()
        self.message_user(
            request,
            _(
                "The pending changes to “%(unit)s” will be published at %(when)s. Saving them "
                "again cancels the schedule."
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

    @admin.action(
        description=_("Unpublish selected items (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: Status) -> None:
        # Saving each object (rather than queryset.update) keeps updated_at and the history.
        for obj in queryset:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
        count = len(queryset)
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


class KeywordInline(admin.TabularInline):
    """The review's keywords, to open and reorder from their own list: each is a unit of its
    own, edited on its own page."""

    model = Keyword
    fields = ["position", "title", "tagline", "publication"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ["position"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("publication"))
    def publication(self, obj: Keyword) -> str:
        return obj.publication_state.label


class ReviewForm(forms.ModelForm):
    """Publishing a review with no published keyword replaces the home page with an empty
    one: the publisher confirms it first."""

    publish_empty = forms.BooleanField(
        label=_("Publish even with no published keyword"),
        required=False,
        help_text=_("Residents would see the review’s title and introduction, nothing else."),
    )

    def clean(self) -> dict:
        data = super().clean()
        publishing = (
            data.get("status") == Status.PUBLISHED and self.instance.status != Status.PUBLISHED
        )
        if (
            publishing
            and not data.get("publish_empty")
            and not self.instance.has_published_keywords()
        ):
            self.add_error(
                "status",
                forms.ValidationError(
                    _(
                        "None of this review’s keywords is published yet, so residents would "
                        "see an empty review. Publish a keyword first, or tick “Publish even "
                        "with no published keyword”."
                    ),
                    code="empty",
                ),
            )
        return data


@admin.register(Review)
class ReviewAdmin(PublishableAdmin):
    list_display = ["year", "title", "publication", "pending", "keyword_count", "updated_at"]
    list_display_links = ["year", "title"]
    list_filter = [PublicationStateFilter, PendingDraftFilter, MissingEnglishFilter]
    search_fields = searchable(Review)
    fieldsets = [
        (None, {"fields": ["year", "title", "subtitle", "tagline", "introduction"]}),
        (_("Cover"), {"fields": ["cover", "cover_thumbnail"]}),
        (
            _("Publication"),
            {"fields": ["status", "publish_empty", "publish_at", "created_at", "updated_at"]},
        ),
    ]
    form = ReviewForm
    inlines = [KeywordInline]
    actions = [*PublishableAdmin.actions, "start_next_year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("keywords")

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj: Review) -> int:
        return len(obj.keywords.all())

    def has_public_content(self, obj: Review) -> bool:
        return obj.has_published_keywords()

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if can_publish(request.user, Review):
            return fieldsets
        # Editors cannot publish, so there is nothing for them to confirm.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "publish_empty"]})
            for name, options in fieldsets
        ]

    @admin.action(description=_("Start next year's review from this one"), permissions=["add"])
    def start_next_year(self, request: HttpRequest, queryset: QuerySet) -> None:
        for review in queryset:
            if Review.objects.filter(year=review.year + 1).exists():
                self.message_user(
                    request,
                    _("A %(year)d review already exists.") % {"year": review.year + 1},
                    messages.WARNING,
                )
                continue
            with transaction.atomic():
                draft = review.start_next_year()
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Draft created with the same keywords:"),
                    reverse("admin:highlights_review_change", args=[draft.pk]),
                    draft,
                ),
                messages.SUCCESS,
            )


class InitiativeInline(TranslationStackedInline):
    model = Initiative
    fields = ["position", "name", "slug", "description"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


class FigureInline(TranslationTabularInline):
    model = Figure
    fields = [
        "position",
        "initiative",
        "label",
        "value",
        "qualifier",
        "unit",
        "indicator",
        "chart_group",
    ]
    extra = 0
    ordering = ["position"]

    def get_formset(self, request: HttpRequest, obj: Keyword | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        keep_empty_translations(formset.form, self.model)
        # A figure can only belong to an initiative of the keyword being edited.
        initiatives = formset.form.base_fields["initiative"]
        initiatives.queryset = (
            Initiative.objects.filter(keyword=obj) if obj else Initiative.objects.none()
        )
        return formset


class PhotoThumbnail:
    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Photo) -> str:
        return image_preview(obj.image)


class PhotoInline(PhotoThumbnail, TranslationTabularInline):
    model = Photo
    fields = ["position", "image", "thumbnail", "alt_text", "caption"]
    readonly_fields = ["thumbnail"]
    extra = 0
    ordering = ["position"]


class KeywordPhotoInline(PhotoInline):
    fk_name = "keyword"


class InitiativePhotoInline(PhotoInline):
    fk_name = "initiative"


class AwardInline(TranslationStackedInline):
    model = Award
    fields = [
        ("position", "level", "year"),
        "name",
        "recipient",
        "awarded_by",
        "rank",
        "note",
        "source_note",
    ]
    extra = 0
    ordering = ["position"]


@admin.register(Keyword)
class KeywordAdmin(PublishableAdmin, OrderedAdmin):
    list_display = [
        "title",
        "tagline",
        "review",
        "position",
        "publication",
        "pending",
        "cover_thumbnail",
    ]
    list_display_links = ["title"]
    list_filter = [ReviewFilter, PublicationStateFilter, PendingDraftFilter, MissingEnglishFilter]
    fixed_once_saved = ("review", "position")
    list_select_related = ["review"]
    search_fields = searchable(Keyword)
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["review", "position", "title", "tagline", "slug", "summary", "body"]}),
        (_("Cover"), {"fields": ["cover", "cover_thumbnail"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]
    inlines = [InitiativeInline, FigureInline, AwardInline, KeywordPhotoInline]
    actions = [*PublishableAdmin.actions, "move_up", "move_down"]
    ordering = ["-review__year", "position"]
    # Beyond this many rows of a kind, the keyword's form links to their own list instead of
    # editing them inline: 100 initiatives, figures and awards inline are over 1,300 fields
    # (Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS) and a page tens of metres long.
    inline_row_limit = 30

    def long_lists(self, obj: Keyword | None) -> list[tuple]:
        """The kinds of rows this keyword has too many of to edit inline: (inline, count)."""
        if obj is None:
            return []
        return [
            (inline, obj.row_counts[inline.model])
            for inline in self.inlines
            if obj.row_counts[inline.model] > self.inline_row_limit
        ]

    def get_inline_instances(self, request: HttpRequest, obj=None) -> list:
        long = {inline for inline, _count in self.long_lists(obj)}
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if type(inline) not in long
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["long_lists"] = [
            {
                "name": inline.model._meta.verbose_name_plural,
                "count": count,
                "list_url": reverse(admin_urlname(inline.model._meta, "changelist"))
                + f"?keyword__id__exact={obj.pk}",
                "add_url": reverse(admin_urlname(inline.model._meta, "add")) + f"?keyword={obj.pk}",
            }
            for inline, count in self.long_lists(obj)
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)


def keyword_from(value: str) -> Keyword | None:
    if value.isascii() and value.isdigit():
        return Keyword.objects.filter(pk=value).first()
    return None


def submitted(request: HttpRequest):
    return request.POST if request.method == "POST" else request.GET


class KeywordChildAdmin(HistoryAdmin):
    """Initiatives, figures and awards, also listed on their own for searching across keywords."""

    list_select_related = ["keyword__review"]
    readonly_fields = ["created_at", "updated_at"]
    fixed_once_saved = ("keyword",)

    def new_row_root(self, request: HttpRequest) -> Keyword | None:
        return keyword_from(submitted(request).get("keyword", ""))

    @admin.display(description=_("review"), ordering="keyword__review__year")
    def review_year(self, obj: Initiative | Figure | Award) -> int:
        return obj.keyword.review.year


@admin.register(Initiative)
class InitiativeAdmin(KeywordChildAdmin, OrderedAdmin):
    list_display = ["name", "keyword", "review_year", "position"]
    list_filter = [ReviewFilter, "keyword", MissingEnglishFilter]
    search_fields = searchable(Initiative)
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["keyword", *InitiativeInline.fields, "source_note", "created_at", "updated_at"]
    inlines = [InitiativePhotoInline]
    actions = ["move_up", "move_down"]
    ordering = ["-keyword__review__year", "keyword__position", "position"]


@admin.register(Figure)
class FigureAdmin(KeywordChildAdmin, OrderedAdmin):
    list_display = ["label", "value", "unit", "qualifier", "keyword", "review_year", "position"]
    list_filter = [ReviewFilter, "keyword", "qualifier", MissingEnglishFilter]
    list_select_related = ["keyword__review", "initiative"]
    search_fields = searchable(Figure, "indicator")
    fields = ["keyword", *FigureInline.fields, "source_note", "created_at", "updated_at"]
    actions = ["move_up", "move_down"]
    ordering = ["-keyword__review__year", "keyword__position", "position"]


@admin.register(Award)
class AwardAdmin(KeywordChildAdmin):
    list_display = ["name", "recipient", "level", "rank", "year", "keyword"]
    list_filter = ["level", "year", ReviewFilter, "keyword", MissingEnglishFilter]
    search_fields = searchable(Award)
    fields = [
        "keyword",
        "position",
        *Award.public_fields,
        "source_note",
        "created_at",
        "updated_at",
    ]


@admin.register(Photo)
class PhotoAdmin(PhotoThumbnail, HistoryAdmin):
    """Every gallery photo, to find those lacking alt text in a language."""

    list_display = ["thumbnail", "alt_text", "keyword", "initiative", "position"]
    list_filter = [ReviewFilter, "keyword", MissingEnglishFilter]
    list_select_related = ["keyword__review", "initiative__keyword__review"]
    search_fields = searchable(Photo)
    fields = ["keyword", "initiative", "position", "image", "alt_text", "caption"]
    fixed_once_saved = ("keyword", "initiative")

    def new_row_root(self, request: HttpRequest) -> Keyword | None:
        data = submitted(request)
        initiative = data.get("initiative", "")
        if initiative.isascii() and initiative.isdigit():
            found = Initiative.objects.filter(pk=initiative).select_related("keyword").first()
            return found.keyword if found else None
        return keyword_from(data.get("keyword", ""))


@admin.register(SiteIdentity)
class SiteIdentityAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """The one row of the site's identity: its list is its form."""

    fieldsets = [
        (None, {"fields": ["sponsor", "address", "phone", "office_hours", "hotline"]}),
        (
            _("Filing and identification"),
            {"fields": ["icp_number", "public_security_number", "website_code", "badge"]},
        ),
        (_("Privacy"), {"fields": ["privacy_statement"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if SiteIdentity.objects.exists():
            return redirect("admin:highlights_siteidentity_change", 1)
        return redirect("admin:highlights_siteidentity_add")
