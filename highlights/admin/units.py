"""The admin pages that write to a unit (a review, or a keyword with its rows): every save goes
through revisions.editing(), whatever the unit's state, and is merged with what colleagues
saved meanwhile; a save that changed the same field as a colleague's waits on a page where its
author chooses. Also the unit's history (its revisions), restore, preview and presence."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    flatten_fieldsets,
    label_for_field,
    lookup_field,
    unquote,
)
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.forms.models import _get_foreign_key
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import languages, presence, revisions
from ..changes import field_label, readable_value, row_label
from ..history import UnitHistory, row_history
from ..models import Revision
from ..publishing import Publishable
from ..roles import can_publish

logger = logging.getLogger(__name__)

# The query parameter that asks a unit's form for the fields of tabled inlines' rows, by their
# names, comma-separated (?edit=figures,awards): one value, since the admin's preserved filters
# keep only one value of each parameter on the form's action.
EDIT_ROWS_VAR = "edit"


def image_preview(file) -> str:
    if not file:
        return "—"
    return format_html('<img src="{}" alt="" width="120">', file.url)


def keep_empty_translations(form_class, model) -> None:
    """An empty translation of a field where empty is a real value (an English unit) is saved
    as empty, not NULL: NULL falls back to the source language (“3 座 pocket parks”)."""
    for name in model.fallback_undefined:
        for code in languages.translation_languages():
            column = languages.column(name, code)
            if column in form_class.base_fields:
                form_class.base_fields[column].empty_value = ""


def object_page(model_admin: admin.ModelAdmin, route: str, view, name: str):
    """An extra admin page of one object, e.g. …/keyword/3/changes/, named as the admin names
    its own (admin:highlights_keyword_changes)."""
    return path(
        f"<path:object_id>/{route}",
        model_admin.admin_site.admin_view(view),
        name=f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_{name}",
    )


def unit_url(root: Publishable, name: str, *args) -> str:
    return reverse(admin_urlname(root._meta, name), args=[root.pk, *args])


def conflict_message(root: Publishable) -> str:
    return _(
        "The changes to “%(unit)s” could not be written: another row now has the same position "
        "or slug. Change it in the form and save again."
    ) % {"unit": root}


def storage_message() -> str:
    return _(
        "The server could not write or read a file in its media folder (it may be full, "
        "read-only or missing a file). Nothing was saved. Try again later, and tell the site's "
        "operator."
    )


def pending_message(root: Publishable) -> str:
    return format_html(
        '{} <a href="{}">{}</a>',
        _(
            "Saved as pending changes to “%(unit)s”. Residents see the published version until "
            "a publisher publishes them."
        )
        % {"unit": root},
        unit_url(root, "changes"),
        _("See the pending changes"),
    )


class UnitAdmin(admin.ModelAdmin):
    """Every admin page that writes to a unit goes through revisions.editing()."""

    change_form_template = "admin/highlights/change_form.html"
    object_history_template = "admin/highlights/object_history.html"
    history_entries_per_page = 20
    # A saved row stays in its unit and in its place (reorder with the move actions). Shown
    # disabled rather than read-only, so the unique rules that involve them are still checked.
    fixed_once_saved: tuple[str, ...] = ()
    # Inlines whose rows the form shows as a table of their table_columns until the editor asks
    # for their fields (?edit=figures): rows of many fields, each in two languages, are most of
    # a unit's form by size and by the time it takes to draw, and are read far more often than
    # changed. Asked for, they are the same inline forms, saved with the unit as ever.
    tabled_inlines: tuple[type, ...] = ()

    def action_checkbox(self, obj) -> str:
        # Django draws each row's box through the form renderer's templates, which cost more
        # than the rest of a list row together; the same markup, written directly.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(translation.gettext("Select this object for an action - {}"), str(obj)),
        )

    def new_row_root(self, request: HttpRequest) -> Publishable | None:
        """The unit a row being added joins (none for a new review or keyword)."""
        return None

    def unit_root_for(self, request: HttpRequest, object_id) -> Publishable | None:
        if object_id is None:
            return self.new_row_root(request)
        obj = self.get_object(request, unquote(object_id))
        return obj.unit_root if obj is not None else None

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        keep_empty_translations(form, self.model)
        if obj is not None:
            for name in self.fixed_once_saved:
                if name not in form.base_fields:
                    continue
                field = form.base_fields[name]
                field.disabled = True
                if isinstance(field, ModelChoiceField):
                    # Its one possible value, not a choice of every review in the archive.
                    field.queryset = field.queryset.filter(pk=getattr(obj, f"{name}_id"))
        return form

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not change and isinstance(form.instance, Publishable):
            # A new unit's first revision, once its rows are all saved.
            revisions.record(form.instance, Revision.Kind.CREATED, request.user)

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
        opened_at = request.POST.get("unit_revision") if write else None
        if not write and request.resolver_match.url_name.endswith("_change"):
            request.unit_page = presence.note_open_form(root, request.user)
        try:
            with revisions.editing(root, request.user, write=write, opened_at=opened_at) as edit:
                request.unit_edit = edit
                request.unit_messages = []
                context = {**(extra_context or {}), **self.unit_context(request, edit)}
                response = view(context)
                edit.saved = write and response.status_code == 302
                if hasattr(response, "render"):
                    response.render()
        except revisions.RevisionConflictError:
            self.message_user(request, conflict_message(root), messages.ERROR)
            return redirect(request.get_full_path())
        except OSError as error:
            # The media disk is full or read-only, or a stored image is missing: the rows are
            # rolled back, the files the save wrote are removed (ImageRenditionsMixin,
            # MediaStorage).
            logger.error("Could not store an upload for %s: %r", root, error, exc_info=True)
            self.message_user(request, storage_message(), messages.ERROR)
            return redirect(request.get_full_path())
        finally:
            request.unit_edit = None
        return self._after_edit(request, edit, response)

    def _after_edit(self, request, edit: revisions.Edit, response) -> HttpResponse:
        if edit.revision is None:
            for message in request.unit_messages:
                self.message_user(request, message, messages.SUCCESS)
            return response
        if edit.unmerged:
            self.message_user(
                request,
                _(
                    "A colleague changed some of the same fields of “%(unit)s” after you opened "
                    "the form. Nothing you typed is lost: choose which version of each to keep."
                )
                % {"unit": edit.root},
                messages.WARNING,
            )
            return redirect(unit_url(edit.root, "merge", edit.revision.pk))
        if not edit.saves_are_pending:
            for message in request.unit_messages:
                self.message_user(request, message, messages.SUCCESS)
        elif "_publish" in request.POST and can_publish(request.user, type(edit.root)):
            revisions.publish(edit.revision, request.user)
            self.message_user(
                request,
                _("Saved and published: residents now see these changes to “%(unit)s”.")
                % {"unit": edit.root},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, pending_message(edit.root), messages.SUCCESS)
        return response

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs) -> None:
        # The admin's "changed successfully" is said only once the save is merged and kept.
        if getattr(request, "unit_edit", None) is not None and level == messages.SUCCESS:
            request.unit_messages.append(message)
            return
        super().message_user(request, message, level, *args, **kwargs)

    def unit_context(self, request, edit: revisions.Edit) -> dict:
        root = edit.root
        return {
            "unit_root": root,
            "unit_revision": edit.base.pk,
            "unit_latest": edit.latest,
            "unit_pending": edit.pending,
            "unit_scheduled": revisions.scheduled_revision(root),
            "unit_unmerged": Revision.objects.of(root)
            .filter(kind=Revision.Kind.UNMERGED, merged_into__isnull=True, user=request.user)
            .only("pk", "created_at"),
            "unit_changes_url": unit_url(root, "changes"),
            "unit_history_url": unit_url(root, "history"),
            "unit_presence_url": unit_url(root, "presence"),
            "unit_page": getattr(request, "unit_page", ""),
            "unit_others": presence.others_with_form_open(root, request.user),
            "can_publish_now": edit.saves_are_pending and can_publish(request.user, type(root)),
        }

    # Fields that fit in one request --------------------------------------------------------

    def field_budget(self) -> int:
        """Fields a form may hold and still leave room for a few added rows."""
        return settings.DATA_UPLOAD_MAX_NUMBER_FIELDS - 100

    def is_tabled(self, request: HttpRequest, obj, inline) -> bool:
        return (
            obj is not None
            and type(inline) in self.tabled_inlines
            and rows_name(inline, self.model) not in rows_asked_for(request)
        )

    def long_lists(self, request: HttpRequest, obj) -> list[tuple]:
        """The inlines whose rows this object's form cannot hold within Django's field limit,
        biggest first: (inline, row count). Counts fields, not rows, so no unit's form can
        reach the limit however wide its rows are."""
        if obj is None:
            return []
        remembered = getattr(request, "unit_long_lists", None)
        if remembered is not None and remembered[0] == obj.pk:
            return remembered[1]
        sizes = []
        total = len(self.get_form(request, obj).base_fields)
        for inline in super().get_inline_instances(request, obj):
            if self.is_tabled(request, obj, inline):
                continue
            rows = (
                inline.get_queryset(request)
                .filter(**{unit_link(inline, self.model).name: obj})
                .count()
            )
            # Each row's fields, plus its id and DELETE; four management fields per formset.
            size = rows * (len(editable_fields(request, obj, inline)) + 2) + 4
            sizes.append((size, inline, rows))
            total += size
        long = []
        for size, inline, rows in sorted(sizes, key=lambda item: -item[0]):
            if total <= self.field_budget():
                break
            long.append((inline, rows))
            total -= size
        request.unit_long_lists = (obj.pk, long)
        return long

    def get_inline_instances(self, request: HttpRequest, obj=None) -> list:
        long = {type(inline) for inline, _rows in self.long_lists(request, obj)}
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if type(inline) not in long and not self.is_tabled(request, obj, inline)
        ]

    def row_table(self, request: HttpRequest, obj, inline) -> dict:
        """A tabled inline's rows as the form shows them (the unit's pending version when it
        has one, as the rest of the form), cells as the admin's lists show values."""
        rows = inline.get_queryset(request).filter(**{unit_link(inline, self.model).name: obj})
        names = inline.table_columns
        asked = request.GET.copy()
        asked[EDIT_ROWS_VAR] = ",".join([*rows_asked_for(request), rows_name(inline, self.model)])
        return {
            "name": inline.model._meta.verbose_name_plural,
            "columns": [label_for_field(name, inline.model, inline) for name in names],
            "rows": [[cell(row, name, inline) for name in names] for row in rows],
            "edit_url": f"?{asked.urlencode(safe=',')}",
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["long_lists"] = [
            {
                "name": inline.model._meta.verbose_name_plural,
                "count": count,
                "list_url": reverse(admin_urlname(inline.model._meta, "changelist"))
                + f"?{unit_link(inline, self.model).name}__id__exact={obj.pk}",
                "add_url": reverse(admin_urlname(inline.model._meta, "add"))
                + f"?{self.model._meta.model_name}={obj.pk}",
            }
            for inline, count in self.long_lists(request, obj)
        ]
        context["row_tables"] = [
            self.row_table(request, obj, inline)
            for inline in super().get_inline_instances(request, obj)
            if self.is_tabled(request, obj, inline)
        ]
        context["error_summary"] = error_summary(context)
        if asked := rows_asked_for(request):
            # The form posts back to its own address, rows asked for included, or their fields
            # would be left out of the save.
            form_url = form_url or f"?{urlencode({EDIT_ROWS_VAR: ','.join(asked)})}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Extra pages -----------------------------------------------------------------------------

    def get_urls(self) -> list:
        pages = []
        if issubclass(self.model, Publishable):
            pages = [
                object_page(self, "merge/<int:revision_id>/", self.merge_view, "merge"),
                object_page(self, "restore/<int:revision_id>/", self.restore_view, "restore"),
                object_page(self, "presence/", self.presence_view, "presence"),
            ]
        return [
            *pages,
            object_page(self, "preview/<str:language>/", self.preview_view, "preview"),
            *super().get_urls(),
        ]

    def unit_page(self, request: HttpRequest, root, title, template: str, **context):
        """One of a unit's own admin pages (pending changes, merge), in the admin's frame."""
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "root": root,
                **context,
            },
        )

    def unit_of(self, request: HttpRequest, object_id) -> Publishable:
        root = self.get_object(request, unquote(object_id))
        if root is None or not self.has_view_permission(request, root):
            raise Http404
        return root

    def merge_view(self, request: HttpRequest, object_id, revision_id: int) -> HttpResponse:
        """An unmerged save beside the colleague's: its author chooses, field by field."""
        root = self.unit_of(request, object_id)
        if not self.has_change_permission(request, root):
            raise PermissionDenied
        unmerged = get_object_or_404(
            Revision.objects.of(root).select_related("user"),
            pk=revision_id,
            kind=Revision.Kind.UNMERGED,
        )
        if unmerged.merged_into_id is not None:
            self.message_user(request, _("These changes were merged already."), messages.INFO)
            return redirect(admin_urlname(root._meta, "change"), root.pk)
        latest, merged = revisions.unmerged_conflicts(unmerged)
        missing = []
        if request.method == "POST":
            seen = Revision.objects.of(root).filter(pk=request.POST.get("seen", "")).first()
            choices = {
                conflict.ident: request.POST[conflict.ident]
                for conflict in merged.conflicts
                if request.POST.get(conflict.ident) in ("theirs", "yours")
            }
            missing = [c.ident for c in merged.conflicts if c.ident not in choices]
            if seen is not None and seen.pk == latest.pk and not missing:
                try:
                    revision = revisions.resolve(unmerged, seen, choices, request.user)
                except revisions.RevisionConflictError:
                    self.message_user(request, conflict_message(root), messages.ERROR)
                    revision = None
                if revision is not None:
                    message = (
                        pending_message(root)
                        if root.saves_are_pending
                        else _("Your changes to “%(unit)s” are saved.") % {"unit": root}
                    )
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(admin_urlname(root._meta, "change"), root.pk)
            if seen is not None and seen.pk != latest.pk:
                self.message_user(
                    request,
                    _("Someone saved again while you chose: here is the unit as it is now."),
                    messages.WARNING,
                )
                missing = []
        return self.unit_page(
            request,
            root,
            _("Choose what to keep in “%(unit)s”") % {"unit": root},
            "admin/highlights/merge.html",
            unmerged=unmerged,
            latest=latest,
            conflicts=[conflict_row(conflict) for conflict in merged.conflicts],
            missing=missing,
        )

    def restore_view(self, request: HttpRequest, object_id, revision_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        root = self.unit_of(request, object_id)
        if not can_publish(request.user, type(root)):
            raise PermissionDenied
        version = get_object_or_404(Revision.objects.of(root), pk=revision_id)
        try:
            revision = revisions.restore(root, version, request.user)
        except revisions.RevisionConflictError:
            self.message_user(request, conflict_message(root), messages.ERROR)
            return redirect(admin_urlname(root._meta, "change"), root.pk)
        when = version.moment
        if root.saves_are_pending and revision.pk != root.live_revision_id:
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
        self.message_user(
            request,
            _("“%(unit)s” is back as it was at %(when)s.") % {"unit": root, "when": when},
            messages.SUCCESS,
        )
        return redirect(admin_urlname(root._meta, "change"), root.pk)

    def presence_view(self, request: HttpRequest, object_id) -> HttpResponse:
        """The form's heartbeat while it stays open, and its goodbye (presence.js)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        root = self.unit_of(request, object_id)
        if request.POST.get("state") == "left":
            presence.note_closed_form(root, request.user, request.POST.get("page", ""))
        else:
            presence.note_heartbeat(root, request.user)
        return HttpResponse(status=204)

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        """The unit's revisions, newest first, each with what it changed, field by field and
        language by language; a row's own page lists those that changed it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        root = obj.unit_root
        revisions.latest_revision(root)  # a unit made in bulk gets its first revision here
        entries = UnitHistory(root) if obj is root else row_history(root, obj)
        paginator = Paginator(entries, self.history_entries_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of “%(item)s”") % {"item": obj},
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "root": root,
            "root_opts": root._meta,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "may_restore": can_publish(request.user, type(root)),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def preview_view(self, request: HttpRequest, object_id, language: str) -> HttpResponse:
        """The public page as it will look once the unit's pending changes are published."""
        if language not in languages.codes() or not self.has_view_permission(request):
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        with revisions.editing(obj.unit_root, request.user, write=False):
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


def rows_asked_for(request: HttpRequest) -> list[str]:
    return [name for name in request.GET.get(EDIT_ROWS_VAR, "").split(",") if name]


def unit_link(inline, parent_model) -> ForeignKey:
    """The field of an inline's rows that points to the unit (keyword for a figure), found as
    Django's inline formsets find it, without building a formset."""
    return _get_foreign_key(parent_model, inline.model, fk_name=inline.fk_name)


def rows_name(inline, parent_model) -> str:
    """What the unit calls an inline's rows ("figures"), also its formset's prefix."""
    return unit_link(inline, parent_model).remote_field.get_accessor_name()


def editable_fields(request: HttpRequest, obj, inline) -> list[str]:
    readonly = inline.get_readonly_fields(request, obj)
    return [
        name
        for name in flatten_fieldsets(inline.get_fieldsets(request, obj))
        if name not in readonly
    ]


def cell(row, name: str, model_admin) -> str:
    """A value as the admin's change lists show it: choices by label, dates localized, an
    empty value as a dash."""
    field, _attr, value = lookup_field(name, row, model_admin)
    empty = model_admin.get_empty_value_display()
    if field is None:
        return display_for_value(value, empty)
    return display_for_field(value, field, empty)


def error_summary(context: dict) -> list[tuple[str, str, str]]:
    """A refused form's errors as (where, message, field id), the form's own fields first, then
    each inline row's, for a list at the top that links to each field."""

    def label(form, name: str) -> str:
        try:
            return capfirst(field_label(form._meta.model, name))
        except FieldDoesNotExist:
            return str(form[name].label)

    summary = []
    form = context["adminform"].form
    for name, errors in form.errors.items():
        if name in form.fields:
            summary.append((label(form, name), errors[0], form[name].auto_id))
    for inline in context.get("inline_admin_formsets", []):
        for number, row in enumerate(inline.formset.forms, start=1):
            for name, errors in row.errors.items():
                if name in row.fields:
                    where = f"{capfirst(inline.opts.verbose_name)} {number} · {label(row, name)}"
                    summary.append((where, errors[0], row[name].auto_id))
    return summary


def conflict_row(conflict: revisions.Conflict) -> dict:
    """A conflict as the merge page shows it: where, and the two values as staff read them."""
    model = conflict.model
    if conflict.name is None:
        return {
            "ident": conflict.ident,
            "row": row_label(model, conflict.row),
            "field": _("the whole row"),
            "theirs": _("removed") if conflict.theirs is None else _("kept, with changes"),
            "yours": _("removed") if conflict.yours is None else _("kept, with changes"),
        }
    return {
        "ident": conflict.ident,
        "row": row_label(model, conflict.row),
        "field": field_label(model, conflict.name),
        "theirs": readable_value(model, conflict.name, conflict.theirs),
        "yours": readable_value(model, conflict.name, conflict.yours),
    }
