"""The site's identity in the admin: one row, its list is its form."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

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

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if SiteIdentity.objects.exists():
            return redirect("admin:highlights_siteidentity_change", 1)
        return redirect("admin:highlights_siteidentity_add")
