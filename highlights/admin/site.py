"""The site's identity in the admin (one row, its list is its form), its columns and their
rules, and the site's inspection of itself."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..columns import ColumnState, column_states
from ..inspection import Severity, exit_status, inspect
from ..models import CanonicalTerm, Column, SiteIdentity


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

    def get_urls(self) -> list:
        inspection = self.admin_site.admin_view(self.inspection_view)
        return [
            path("inspection/", inspection, name="highlights_siteidentity_inspection"),
            *super().get_urls(),
        ]

    def inspection_view(self, request: HttpRequest) -> TemplateResponse:
        """Every rule an inspection would find broken today, worst first, for staff to act on
        and to print for the office's file."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        # Fetching every page in each language and mode takes a while on a large site: on
        # request only. The command, which monitors run, always does.
        crawled = request.GET.get("crawl") == "1"
        columns = column_states(timezone.now())
        findings = inspect(crawl_site=crawled, columns=columns)
        counts = Counter(finding.severity for finding in findings)
        return TemplateResponse(
            request,
            "admin/highlights/inspection.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Site inspection"),
                "findings": findings,
                "columns": columns,
                "counts": [(severity, counts[severity]) for severity in reversed(Severity)],
                "status": exit_status(findings),
                "crawled": crawled,
            },
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if SiteIdentity.objects.exists():
            return redirect("admin:highlights_siteidentity_change", 1)
        return redirect("admin:highlights_siteidentity_add")


@admin.register(Column)
class ColumnAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """The site's columns: set up with the site, renamed and given their rules by publishers.
    The list shows how many days each has left before an inspector would call it stale."""

    list_display = ["name", "content", "column_type", "fresh_within_days", "newest", "days_left"]
    fields = ["name", "description", "content", "column_type", "fresh_within_days", "position"]
    readonly_fields = ["content"]
    # Django's own: the app's form adds unit-of-editing parts (previews, pending changes) that
    # a column, a setting rather than content, does not have.
    change_form_template = "admin/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("newest item"))
    def newest(self, column: Column):
        newest = column.newest_publication
        return date_format(timezone.localtime(newest), "Y-m-d") if newest else _("nothing yet")

    @admin.display(description=_("days left"))
    def days_left(self, column: Column) -> str:
        return ColumnState.of(column, timezone.now()).days_left_text


@admin.register(CanonicalTerm)
class CanonicalTermAdmin(admin.ModelAdmin):
    """The official wording the inspection holds published text to."""

    list_display = ["term", "note"]
    search_fields = ["term", "note"]
