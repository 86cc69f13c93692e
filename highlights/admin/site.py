"""The site's identity in the admin (one row, its list is its form), and the site's inspection
of itself."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..inspection import Severity, exit_status, inspect
from ..models import SiteIdentity


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
        findings = inspect()
        counts = Counter(finding.severity for finding in findings)
        return TemplateResponse(
            request,
            "admin/highlights/inspection.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Site inspection"),
                "findings": findings,
                "counts": [(severity, counts[severity]) for severity in reversed(Severity)],
                "status": exit_status(findings),
            },
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if SiteIdentity.objects.exists():
            return redirect("admin:highlights_siteidentity_change", 1)
        return redirect("admin:highlights_siteidentity_add")
