"""The site inspects itself as the State Council's indicators (国办秘函〔2019〕19号) would: every
check in this one module, each finding with an id, a severity, a message in each language and
a link to where to fix it. The admin's inspection page and `manage.py inspect_site` read the
same findings.

A veto fails the whole site at an inspection; a deduction costs points; advice costs nothing
but makes the site better.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urldefrag

from django.apps import apps
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from . import languages, site_crawl
from .columns import ColumnState, column_states
from .models import Column, News, Notice, Photo, ServiceGuide, SiteIdentity
from .publishing import Content
from .site_crawl import Crawl, internal_address
from .terms import CanonicalTerm, NearMisses
from .translation_status import content_models, missing_english_q


class Severity(models.IntegerChoices):
    ADVICE = 0, _("Advice")
    DEDUCTION = 1, _("Deduction")
    VETO = 2, _("Veto")


HOME_FRESHNESS_DAYS = 14
# Empty or stale columns fail a site at an inspection from this many on.
COLUMNS_FOR_A_VETO = 5
SLOW_SECONDS = 1.0
# What `inspect_site --json` prints, for monitors to validate against (`inspect_site --schema`).
SCHEMA = Path(__file__).with_name("inspection.schema.json")
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


def freshness(now: datetime, states: list[ColumnState]) -> list[Finding]:
    """The home page's newest item, and each column's against its rule."""
    findings = []
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


def published_texts() -> Iterator[tuple[type[Content], int, str, str]]:
    """Every published text residents read, in every language: (model, pk, field, text).
    Values, not rows: a large site has tens of thousands, and only a few are ever needed."""
    registered = translator.get_registered_models()
    for model in apps.get_app_config("highlights").get_models():
        if not (issubclass(model, Content) and model in registered):
            continue
        fields = languages.columns(model.translated_fields)
        for pk, *texts in model.objects.published().values_list("pk", *fields):
            for name, text in zip(fields, texts, strict=True):
                if text:
                    yield model, pk, name, text


def accuracy(now: datetime) -> list[Finding]:
    """Published text one character away from a canonical term: each a veto, with both
    spellings, where it is and a link to its form."""
    checker = NearMisses([term.term for term in CanonicalTerm.objects.all()])
    findings = []
    for model, pk, field_name, text in published_texts():
        missed = checker.in_text(text)
        if not missed:
            continue
        row = model.objects.get(pk=pk)
        root = row.unit_root
        for term, misses in missed.items():
            for found in misses:
                findings.append(
                    Finding(
                        "accuracy.near_miss",
                        Severity.VETO,
                        in_each_language(
                            _(
                                "“%(found)s” in the %(kind)s “%(row)s” (%(field)s) is one "
                                "character away from “%(term)s”."
                            ),
                            {
                                "found": found,
                                "term": term,
                                "kind": row._meta.verbose_name,
                                "row": row,
                                "field": field_name,
                            },
                        ),
                        reverse(admin_urlname(root._meta, "change"), args=[root.pk]),
                        {"found": found, "term": term, "field": field_name},
                    )
                )
    return findings


def availability(now) -> list[Finding]:
    """The home page and each column's page through the site's own request handler, as an
    inspector's crawler asks for them: not 200, or slower than a second, is a finding."""
    findings = []
    client = Client(raise_request_exception=False)
    with translation.override(languages.source_language()):
        paths = [reverse("highlights:home")]
        paths += [column.get_absolute_url() for column in Column.objects.in_order()]
    for path in paths:
        started = time.monotonic()
        response = site_crawl.get(client, path)
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


def linked_from(pages: set[str]) -> str:
    """The pages a link is on, as a finding names them: a few, and how many more."""
    shown = sorted(pages)[:3]
    more = len(pages) - len(shown)
    return ", ".join(shown) + (f" (+{more})" if more else "")


def links(crawls: dict[tuple[str, bool], Crawl]) -> list[Finding]:
    """Every link inside the site, in each language and mode, answers 200, and a link to a
    #fragment finds its element; links to other sites are listed for a person to check."""
    broken: dict[tuple[str, int], set[str]] = {}
    anchorless: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for crawl in crawls.values():
        for page, target in crawl.internal:
            path, fragment = urldefrag(target)
            status = crawl.status(path)
            if status is not None and status != 200:
                broken.setdefault((path, status), set()).add(page)
                continue
            final = crawl.final(path) if fragment else None
            if final and final.html and unquote(fragment) not in final.ids:
                anchorless.setdefault(target, set()).add(page)
        for page, link in crawl.outside:
            outside.setdefault(link, set()).add(page)
    findings = [
        Finding(
            "links.broken",
            Severity.DEDUCTION,
            in_each_language(
                _("%(target)s answers %(status)d; it is linked from %(pages)s."),
                {"target": path, "status": status, "pages": linked_from(pages)},
            ),
            min(pages),
            {"target": path, "status": status, "pages": sorted(pages)},
        )
        for (path, status), pages in sorted(broken.items())
    ]
    findings += [
        Finding(
            "links.anchor",
            Severity.DEDUCTION,
            in_each_language(
                _("%(target)s leads to no element of its page; it is linked from %(pages)s."),
                {"target": target, "pages": linked_from(pages)},
            ),
            min(pages),
            {"target": target, "pages": sorted(pages)},
        )
        for target, pages in sorted(anchorless.items())
    ]
    if outside:
        findings.append(
            Finding(
                "links.outside",
                Severity.ADVICE,
                in_each_language(
                    _("%(count)d links lead to other sites: check them by hand."),
                    {"count": len(outside)},
                ),
                data={"links": {link: sorted(pages) for link, pages in sorted(outside.items())}},
            )
        )
    return findings


def meta_tags(crawls: dict[tuple[str, bool], Crawl]) -> list[Finding]:
    """The 政府网站发展指引's <meta> tags: the site's on every page, a column's type on the
    pages of a column, an article's title, date and source on every article."""
    required = ["SiteName", "SiteDomain", "ColumnName"]
    if SiteIdentity.current().website_code:
        # Without a 网站标识码 the identity check reports it once, not once per page.
        required.append("SiteIDCode")
    article_tags = ["ArticleTitle", "PubDate", "ContentSource"]
    lacking: dict[str, set[str]] = {}
    for (code, _elder), crawl in crawls.items():
        with translation.override(code):
            column_names = {str(column) for column in Column.objects.all()}
        for page in crawl.pages.values():
            if not page.html:
                continue
            wanted = list(required)
            if page.meta.get("ColumnName") in column_names:
                wanted.append("ColumnType")
            if page.meta.get("og:type") == "article":
                wanted += article_tags
            for tag in wanted:
                if not page.meta.get(tag, "").strip():
                    lacking.setdefault(tag, set()).add(page.address)
    return [
        Finding(
            "meta.missing",
            Severity.DEDUCTION,
            in_each_language(
                _("%(count)d pages lack the %(tag)s tag, such as %(pages)s."),
                {"count": len(pages), "tag": tag, "pages": linked_from(pages)},
            ),
            min(pages),
            {"tag": tag, "pages": sorted(pages)},
        )
        for tag, pages in lacking.items()
    ]


def expired_notices(crawls: dict[tuple[str, bool], Crawl]) -> list[Finding]:
    """No home page lists a notice past its last day among the current notices."""
    expired = Notice.objects.published().exclude(pk__in=Notice.objects.current())
    findings = []
    for (code, _elder), crawl in crawls.items():
        with translation.override(code):
            addresses = {notice.get_absolute_url(): notice for notice in expired}
            home = reverse("highlights:home")
        page = crawl.pages.get(home)
        for link in page.sections.get("notices-heading", []) if page else []:
            if (notice := addresses.get(internal_address(link, home))) is not None:
                findings.append(
                    Finding(
                        "notices.expired_as_current",
                        Severity.DEDUCTION,
                        in_each_language(
                            _(
                                "The home page lists “%(notice)s” as current; it expired "
                                "on %(day)s."
                            ),
                            {"notice": notice, "day": notice.valid_until.isoformat()},
                        ),
                        home,
                        {"notice": notice.slug, "page": home},
                    )
                )
    return findings


def inspect(
    fetch_pages: bool = True,
    crawl_site: bool = False,
    columns: list[ColumnState] | None = None,
) -> list[Finding]:
    """Every finding, worst first. `fetch_pages` off skips the pages' availability (the admin
    index's summary, which must stay quick); `crawl_site` fetches every page in each language
    and mode for the link, metadata and notice checks (a minute on a large site). `columns`:
    the columns' states, when the caller shows them too (each is an aggregate of a column)."""
    now = timezone.now()
    if columns is None:
        columns = column_states(now)
    checks = [accuracy, completeness, *([availability] if fetch_pages else [])]
    # The pages fetched here switch languages as readers would; the caller's stays its own.
    with translation.override(translation.get_language()):
        findings = freshness(now, columns)
        findings += [finding for check in checks for finding in check(now)]
        if crawl_site:
            crawls = site_crawl.crawl()
            findings += links(crawls) + meta_tags(crawls) + expired_notices(crawls)
    return sorted(findings, key=lambda finding: -finding.severity)


def exit_status(findings: list[Finding]) -> int:
    """2 when a veto would fail the site, 1 for deductions, 0 when clean (advice aside)."""
    worst = max((finding.severity for finding in findings), default=Severity.ADVICE)
    return {Severity.VETO: 2, Severity.DEDUCTION: 1}.get(worst, 0)
