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
from datetime import datetime, timedelta

from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from . import languages
from .addresses import canonical_host
from .models import Column, News, Photo, ServiceGuide, SiteIdentity
from .translation_status import content_models, missing_english_q


class Severity(models.IntegerChoices):
    ADVICE = 0, _("Advice")
    DEDUCTION = 1, _("Deduction")
    VETO = 2, _("Veto")


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


def _interpolate(message: Promise | str, params: dict) -> str:
    return str(message) % params


# A message filled in when it is read, so that it reads in the language of the moment (the
# command's JSON gives each finding in every language): formatting a lazy message at once would
# fix it, and the names in it, in the language of the request that ran the checks.
in_each_language = lazy(_interpolate, str)


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


@dataclass
class ColumnState:
    """A column as the freshness rules see it: when it last had something new, and the days
    it has left before it goes stale (None when it has no rule, or nothing at all)."""

    column: Column
    newest: datetime | None
    days_left: int | None

    def as_json(self) -> dict:
        return {
            "column": self.column.content,
            "name": str(self.column),
            "fresh_within_days": self.column.fresh_within_days,
            "newest": self.newest.isoformat() if self.newest else None,
            "days_left": self.days_left,
        }


def column_states(now: datetime) -> list[ColumnState]:
    states = []
    for column in Column.objects.in_order():
        newest = column.newest_publication()
        states.append(ColumnState(column, newest, column.days_left(newest, now)))
    return states


def freshness(now: datetime) -> list[Finding]:
    """The home page's newest item, and each column's against its rule."""
    findings = []
    states = column_states(now)
    dated = [state.newest for state in states if state.column.fresh_within_days and state.newest]
    latest = max(dated, default=None)
    if latest is None or now - latest > timedelta(days=HOME_FRESHNESS_DAYS):
        findings.append(
            Finding(
                "freshness.home",
                Severity.VETO,
                in_each_language(
                    _("The home page has had nothing new for more than %(days)d days."),
                    {"days": HOME_FRESHNESS_DAYS},
                ),
                reverse("admin:highlights_column_changelist"),
                {"days_since": (now - latest).days if latest else None},
            )
        )
    stale = []
    for state in states:
        column, link = state.column, admin_list(state.column.model)
        data = {"column": column.content, "days_left": state.days_left}
        if state.newest is None:
            stale.append(
                Finding(
                    "freshness.empty_column",
                    Severity.DEDUCTION,
                    in_each_language(
                        _("The column “%(column)s” has nothing published."), {"column": column}
                    ),
                    link,
                    data,
                )
            )
        elif state.days_left is not None and state.days_left < 0:
            stale.append(
                Finding(
                    "freshness.stale_column",
                    Severity.DEDUCTION,
                    in_each_language(
                        _(
                            "The column “%(column)s” has had nothing new for %(since)d days; it "
                            "must have something new every %(days)d days."
                        ),
                        {
                            "column": column,
                            "since": (now - state.newest).days,
                            "days": column.fresh_within_days,
                        },
                    ),
                    link,
                    data,
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
                    in_each_language(
                        _("The site's identity lacks its %(field)s."),
                        {"field": SiteIdentity._meta.get_field(name).verbose_name},
                    ),
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
                    in_each_language(
                        _("%(count)d images of %(kind)s lack alt text in a translation."),
                        {"count": missing, "kind": model._meta.verbose_name_plural},
                    ),
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
                    in_each_language(
                        _("%(count)d published %(kind)s lack a translation."),
                        {"count": missing, "kind": model._meta.verbose_name_plural},
                    ),
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
                    in_each_language(
                        _("%(path)s answered %(status)d in %(seconds).1f s."),
                        {"path": path, "status": response.status_code, "seconds": seconds},
                    ),
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
