"""The site inspects itself as the State Council's indicators (国办秘函〔2019〕19号) would: every
check in this one module, each finding with an id, a severity, a message in each language and
a link to where to fix it. The admin's inspection page and `manage.py inspect_site` read the
same findings.

A veto fails the whole site at an inspection; a deduction costs points; advice costs nothing
but makes the site better.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import languages
from .addresses import canonical_host
from .models import News, Notice, Photo, Place, ServiceGuide, SiteIdentity
from .translation_status import content_models, missing_english_q


class Severity(models.IntegerChoices):
    ADVICE = 0, _("Advice")
    DEDUCTION = 1, _("Deduction")
    VETO = 2, _("Veto")


# The site's columns: (model, the days within which it must have something new, or None for a
# column that is kept rather than updated, which must only not be empty).
COLUMN_FRESHNESS = [(News, 14), (Notice, 180), (ServiceGuide, None), (Place, None)]
HOME_FRESHNESS_DAYS = 14
# Empty or stale columns fail a site at an inspection from this many on.
COLUMNS_FOR_A_VETO = 5
SLOW_SECONDS = 1.0
IDENTITY_FIELDS = (
    "sponsor",
    "address",
    "phone",
    "website_code",
    "icp_number",
    "public_security_number",
    "privacy_statement",
)


@dataclass
class Finding:
    check: str
    severity: Severity
    message: Promise | str
    link: str = ""
    # Figures a monitor may read, e.g. the days a column has left.
    data: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        messages = {}
        for code in languages.codes():
            with translation.override(code):
                messages[code] = str(self.message)
        return {
            "check": self.check,
            "severity": self.severity.name.lower(),
            "message": messages,
            "link": self.link,
            "data": self.data,
        }


def admin_list(model: type[models.Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def freshness(now) -> list[Finding]:
    """The home page's newest item, and each column's against its rule."""
    findings = []
    newest = {
        model: model.objects.published().aggregate(newest=models.Max("publish_at"))["newest"]
        for model, _days in COLUMN_FRESHNESS
    }
    dated = [newest[model] for model, days in COLUMN_FRESHNESS if days is not None]
    latest = max(filter(None, dated), default=None)
    if latest is None or now - latest > timedelta(days=HOME_FRESHNESS_DAYS):
        findings.append(
            Finding(
                "freshness.home",
                Severity.VETO,
                _("The home page has had nothing new for more than %(days)d days.")
                % {"days": HOME_FRESHNESS_DAYS},
                admin_list(News),
                {"days_since": (now - latest).days if latest else None},
            )
        )
    stale = []
    for model, days in COLUMN_FRESHNESS:
        name = model.column_name
        if newest[model] is None:
            stale.append(
                Finding(
                    "freshness.empty_column",
                    Severity.DEDUCTION,
                    _("The column “%(column)s” has nothing published.") % {"column": name},
                    admin_list(model),
                    {"column": model._meta.model_name, "days_left": None},
                )
            )
            continue
        if days is None:
            continue
        days_left = days - (now - newest[model]).days
        if days_left < 0:
            stale.append(
                Finding(
                    "freshness.stale_column",
                    Severity.DEDUCTION,
                    _(
                        "The column “%(column)s” has had nothing new for %(since)d days; it "
                        "must have something new every %(days)d days."
                    )
                    % {"column": name, "since": (now - newest[model]).days, "days": days},
                    admin_list(model),
                    {"column": model._meta.model_name, "days_left": days_left},
                )
            )
    if len(stale) >= COLUMNS_FOR_A_VETO:
        for finding in stale:
            finding.severity = Severity.VETO
    return findings + stale


def completeness(now) -> list[Finding]:
    findings = []
    identity = SiteIdentity.current()
    for name in IDENTITY_FIELDS:
        if not getattr(identity, name):
            findings.append(
                Finding(
                    f"identity.{name}",
                    Severity.DEDUCTION,
                    _("The site's identity lacks its %(field)s.")
                    % {"field": SiteIdentity._meta.get_field(name).verbose_name},
                    reverse("admin:highlights_siteidentity_changelist"),
                )
            )
    for guide in ServiceGuide.objects.published():
        for problem in guide.publication_problems():
            findings.append(
                Finding(
                    "guides.missing_element",
                    Severity.VETO,
                    problem,
                    reverse("admin:highlights_serviceguide_change", args=[guide.pk]),
                )
            )
    for model in (Photo, News):
        column = "alt_text" if model is Photo else "cover_alt_text"
        rows = model.objects.all()
        if model is News:
            rows = rows.exclude(cover="")
        missing = rows.filter(missing_english_q(model, column)).count()
        if missing:
            findings.append(
                Finding(
                    "images.alt_text",
                    Severity.ADVICE,
                    _("%(count)d images of %(kind)s lack alt text in a translation.")
                    % {"count": missing, "kind": model._meta.verbose_name_plural},
                    admin_list(model),
                    {"count": missing},
                )
            )
    for model in content_models(in_review=False):
        missing = model.objects.published().filter(missing_english_q(model)).count()
        if missing:
            findings.append(
                Finding(
                    "translation.gaps",
                    Severity.ADVICE,
                    _("%(count)d published %(kind)s lack a translation.")
                    % {"count": missing, "kind": model._meta.verbose_name_plural},
                    f"{admin_list(model)}?english=missing",
                    {"count": missing},
                )
            )
    return findings


def availability(now) -> list[Finding]:
    """The home page and each column's page through the site's own request handler, as an
    inspector's crawler asks for them: not 200, or slower than a second, is a finding."""
    findings = []
    client = Client(raise_request_exception=False)
    pages = ["highlights:home", "highlights:news_list", "highlights:notice_list"]
    pages += ["highlights:guide_list", "highlights:place_list"]
    for name in pages:
        with translation.override(languages.source_language()):
            path = reverse(name)
        started = time.monotonic()
        response = client.get(path, HTTP_HOST=canonical_host())
        seconds = time.monotonic() - started
        if response.status_code != 200 or seconds > SLOW_SECONDS:
            findings.append(
                Finding(
                    "availability.page",
                    Severity.DEDUCTION,
                    _("%(path)s answered %(status)d in %(seconds).1f s.")
                    % {"path": path, "status": response.status_code, "seconds": seconds},
                    path,
                    {"status": response.status_code, "seconds": round(seconds, 3)},
                )
            )
    return findings


def inspect(fetch_pages: bool = True) -> list[Finding]:
    """Every finding, worst first. `fetch_pages` off skips the pages' availability (the admin
    index's summary, which must stay quick)."""
    now = timezone.now()
    checks = [freshness, completeness, *([availability] if fetch_pages else [])]
    findings = [finding for check in checks for finding in check(now)]
    return sorted(findings, key=lambda finding: -finding.severity)


def exit_status(findings: list[Finding]) -> int:
    """2 when a veto would fail the site, 1 for deductions, 0 when clean (advice aside)."""
    worst = max((finding.severity for finding in findings), default=Severity.ADVICE)
    return {Severity.VETO: 2, Severity.DEDUCTION: 1}.get(worst, 0)
