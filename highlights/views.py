"""Public pages. Every view selects content through a QuerySet's visible_to(), nowhere else."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, RedirectView, TemplateView
from django.views.generic.dates import (
    ArchiveIndexView,
    MonthArchiveView,
    YearArchiveView,
)

from . import care, languages
from .attachments import document_content_type
from .charts import bar_charts
from .columns import Column, site_columns
from .forms import AwardFilterForm, CareModeForm, PlaceFilterForm, SearchForm
from .models import (
    Attachment,
    Award,
    Figure,
    Initiative,
    Keyword,
    News,
    Notice,
    Place,
    Review,
    ServiceGuide,
    SiteIdentity,
)
from .open_data import (
    column_csv,
    column_json,
    column_records,
    figure_rows,
    figures_csv,
    figures_json,
)
from .pagination import SortedByKey
from .places import PlaceKind
from .publishing import ColumnUnit
from .search import search, searched_rows
from .structured_data import keyword_data, review_data

SEARCH_PAGE_SIZE = 20


@method_decorator(csrf_exempt, name="dispatch")
class PublicPage(View):
    """A read-only public page: GET, HEAD and OPTIONS only, so a POST is a plain 405.

    Exempt from CSRF checks because it never changes anything; otherwise a stray POST would be
    refused as a CSRF failure (403) before the method check could say what is wrong.
    """

    http_method_names = ["get", "head", "options"]
    # The query parameters the page reads; a request with any other is not page-cached.
    query_parameters: tuple[str, ...] = ()

    def get_context_data(self, **kwargs) -> dict:
        # What base.html's <head>, after its <title>, depends on besides content: the page's
        # path, without the query (a search's term is in its title only); its absolute address
        # is the site's, never the request's Host.
        return super().get_context_data(page_address=self.request.path, **kwargs)


class InColumn:
    """A page of one of the site's columns: the column showing its `model` names it."""

    @property
    def column(self) -> Column:
        return site_columns(self.request).of(self.model)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(column=self.column, **kwargs)


class SharedPage:
    """A detail page shared as its object: base.html takes the page's description and its
    Open Graph title, description and image from the object's `sharing` and cover."""

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            shared=self.object, column=site_columns(self.request).of(type(self.object)), **kwargs
        )


class ReviewPage(PublicPage, DetailView):
    """A page of one review: its keyword cards, key figures and awards."""

    model = Review
    slug_field = "year"
    slug_url_kwarg = "year"
    context_object_name = "review"

    def get_queryset(self) -> QuerySet[Review]:
        user = self.request.user
        keywords = Keyword.objects.visible_to(user).prefetch_related(
            Prefetch("figures", queryset=Figure.objects.order_by("position")),
            Prefetch("awards", queryset=Award.objects.order_by("position")),
        )
        return Review.objects.visible_to(user).prefetch_related(
            Prefetch("keywords", queryset=keywords)
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["structured_data"] = review_data(self.object)
        return context


class ReviewDetailView(SharedPage, ReviewPage):
    """A review's own page, shared as the review."""


class HomeView(ReviewDetailView):
    """The latest news and current notices, then the latest review the visitor may see; a
    site with no review published yet leads with its columns all the same."""

    column_items_on_home = 4

    def get_object(self, queryset: QuerySet[Review] | None = None) -> Review | None:
        return (queryset or self.get_queryset()).first()

    def get_template_names(self) -> list[str]:
        if self.object is None:
            return ["highlights/home_without_review.html"]
        return ["highlights/home.html"]

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        stories = News.objects.visible_to(user).newest_first()
        notices = Notice.objects.visible_to(user).current().newest_first()
        lead = {
            "latest_news": stories[: self.column_items_on_home],
            "current_notices": notices[: self.column_items_on_home],
        }
        if self.object is None:
            # Past the review's parts (its sharing, column and structured data).
            return PublicPage.get_context_data(self, **lead, **kwargs)
        return super().get_context_data(**lead, **kwargs)


class ReviewPdfView(ReviewPage):
    """The whole review as a PDF in the page's language: every published keyword with its
    initiatives, figures and awards."""

    def get_queryset(self) -> QuerySet[Review]:
        keywords = Keyword.objects.visible_to(self.request.user).prefetch_related(
            "initiatives", "figures", "awards"
        )
        return Review.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("keywords", queryset=keywords)
        )

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # WeasyPrint takes most of a second to import: only a process that builds a PDF pays
        # for it, not every worker, command and test run as it starts.
        from .pdf import review_pdf

        review = self.get_object()
        response = HttpResponse(review_pdf(review, request), content_type="application/pdf")
        name = f"xinjing-{review.year}-{get_language()}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class FiguresView(InColumn, ReviewPage):
    """Every figure of a review, grouped by keyword, as numbers and as charts."""

    template_name = "highlights/figures.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        year = self.object.year
        context["title"] = _("Key figures of %(year)s") % {"year": year}
        context["description"] = _(
            "Every figure of Xinjing Town’s %(year)s review, as numbers and charts."
        ) % {"year": year}
        context["sections"] = self.sections()
        return context

    def sections(self) -> list:
        return [
            (keyword, bar_charts(list(keyword.figures.all())))
            for keyword in self.object.keywords.all()
            if keyword.figures.all()
        ]


class ReviewList(PublicPage, ListView):
    context_object_name = "reviews"

    def get_queryset(self) -> QuerySet[Review]:
        return Review.objects.visible_to(self.request.user).order_by("-year")


class ReviewArchiveView(InColumn, ReviewList):
    model = Review
    template_name = "highlights/review_archive.html"
    extra_context = {
        "title": _("All reviews"),
        "description": _("Every yearly review of Xinjing Town, newest first."),
        "admin_list": "admin:highlights_review_changelist",
    }


class KeywordDetailView(SharedPage, PublicPage, DetailView):
    context_object_name = "keyword"

    def get_queryset(self) -> QuerySet[Keyword]:
        return (
            Keyword.objects.visible_to(self.request.user)
            .filter(review__year=self.kwargs["year"])
            .select_related("review")
            .prefetch_related(
                "initiatives",
                "figures",
                "awards",
                "photos",
                Prefetch("news", News.objects.visible_to(self.request.user).newest_first()),
            )
        )

    def get_object(self, queryset: QuerySet[Keyword] | None = None) -> Keyword:
        keyword = super().get_object(queryset)
        keyword.link_figures_to_initiatives()
        return keyword

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["previous"], context["next"] = self.neighbours()
        context["structured_data"] = keyword_data(self.object)
        context["places"] = (
            Place.objects.visible_to(self.request.user)
            .filter(initiatives__keyword=self.object)
            .distinct()
            .by_kind()
        )
        return context

    def neighbours(self) -> tuple[Keyword | None, Keyword | None]:
        return self.object.neighbours(Keyword.objects.visible_to(self.request.user))


class InitiativeDetailView(SharedPage, PublicPage, DetailView):
    context_object_name = "initiative"

    def get_queryset(self) -> QuerySet[Initiative]:
        return (
            Initiative.objects.visible_to(self.request.user)
            .filter(
                keyword__review__year=self.kwargs["year"],
                keyword__slug=self.kwargs["keyword_slug"],
            )
            .select_related("keyword__review")
            .prefetch_related(
                "figures",
                "photos",
                Prefetch("places", Place.objects.visible_to(self.request.user)),
                Prefetch("news", News.objects.visible_to(self.request.user).newest_first()),
            )
        )


class AwardListView(InColumn, PublicPage, ListView):
    """All awards, filterable by year and level."""

    model = Award
    template_name = "highlights/award_list.html"
    context_object_name = "awards"
    extra_context = {
        "title": _("Awards"),
        "description": _(
            "Honours won by Xinjing Town, its residents’ areas and Party organisations."
        ),
        "admin_list": "admin:highlights_award_changelist",
    }
    paginate_by = 50
    query_parameters = ("year", "level", "page")

    def get_queryset(self) -> QuerySet[Award]:
        visible = Award.objects.visible_to(self.request.user)
        years = visible.exclude(year=None).order_by("-year").values_list("year", flat=True)
        self.form = AwardFilterForm(
            self.request.GET or None,
            years=list(years.distinct()),
        )
        # Undated awards last on every database: PostgreSQL would put NULL years first.
        awards = visible.select_related("keyword__review").order_by(
            F("year").desc(nulls_last=True),
            "keyword__review__year",
            "keyword__position",
            "position",
        )
        if self.form.is_valid():
            if year := self.form.cleaned_data["year"]:
                awards = awards.filter(year=year)
            if level := self.form.cleaned_data["level"]:
                awards = awards.filter(level=level)
        return awards

    def get_paginator(self, queryset: QuerySet[Award], *args, **kwargs) -> Paginator:
        return super().get_paginator(SortedByKey(queryset), *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(form=self.form, **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if self.form.errors:
            # Every award, saying the filter is not available: kept by no shared cache, so
            # that a crowd of made-up values cannot push the pages people read out of it.
            patch_cache_control(response, private=True)
        return response


class SearchView(PublicPage, TemplateView):
    template_name = "highlights/search.html"
    query_parameters = ("q", "page")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        if form.is_valid():
            context["term"] = term = form.cleaned_data["q"]
            context["result_count"], context["page_obj"] = self.results(
                term, self.request.GET.get("page")
            )
        return context

    def results(self, term: str, page: str | None) -> tuple[int, Page]:
        """How many results the term has, and the page of them asked for."""
        results = search(term, searched_rows(self.request.user))
        return len(results), Paginator(results, SEARCH_PAGE_SIZE).get_page(page)


class PrivacyView(PublicPage, TemplateView):
    """The privacy statement staff keep in the site identity; none written yet is a 404."""

    template_name = "highlights/privacy.html"

    def get_context_data(self, **kwargs) -> dict:
        identity = SiteIdentity.current()
        if not identity.privacy_statement:
            raise Http404("No privacy statement has been written yet.")
        return super().get_context_data(identity=identity, **kwargs)


class OpenDataView(ReviewList):
    """How to follow, download and reuse what the site publishes, in plain words: the
    published reviews, each with its downloads."""

    template_name = "highlights/open_data.html"
    extra_context = {
        "title": _("Open data"),
        "description": _("Follow the Xinjing Highlights feeds, download the figures, use the API."),
    }

    def get_context_data(self, **kwargs) -> dict:
        downloads = []
        for column in site_columns(self.request):
            if issubclass(column.model, ColumnUnit):
                name = column.model._meta.model_name
                kinds = ("csv", "json", "rss", "atom")
                downloads.append((column, *(reverse(f"highlights:{name}_{k}") for k in kinds)))
        return super().get_context_data(column_downloads=downloads, **kwargs)


class CareModeView(PublicPage):
    """Turns elder mode on or off with a plain link, and goes back to the page it came from."""

    query_parameters = ("on", "next")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CareModeForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(
                _("Elder mode is switched with on=1 or on=0."), content_type="text/plain"
            )
        back = form.cleaned_data["next"]
        if not back.startswith("/") or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("highlights:home")
        response = HttpResponseRedirect(back)
        if form.cleaned_data["on"] == "1":
            response.set_cookie(
                care.COOKIE,
                "1",
                max_age=care.COOKIE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        else:
            response.delete_cookie(care.COOKIE, samesite="Lax")
        return response


class FaviconView(PublicPage, RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; the icon lives with the static
    files, under a name that changes with its content."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("icons/favicon.ico")


class ManifestView(PublicPage):
    """The web app manifest: the site's name in the page's language and its home-screen
    icons, for "add to home screen"."""

    def get(self, request: HttpRequest) -> JsonResponse:
        icons = [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ]
        manifest = {
            "name": _("Xinjing Highlights"),
            "short_name": pgettext_lazy("short app name", "Xinjing"),
            "description": _("The yearly review of Xinjing Town, Changning District, Shanghai."),
            "lang": languages.html_lang(get_language()),
            "start_url": reverse("highlights:home"),
            "scope": "/",
            "display": "browser",
            "background_color": "#f8f6f1",
            "theme_color": "#0a645b",
            "icons": icons,
        }
        return JsonResponse(
            manifest,
            content_type="application/manifest+json",
            json_dumps_params={"ensure_ascii": False},
        )


class RobotsView(PublicPage, TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"


class FiguresDownloadView(PublicPage):
    """A published review's figures as CSV or JSON, never including drafts."""

    def get(self, request: HttpRequest, year: int, extension: str) -> HttpResponse:
        review = get_object_or_404(Review.objects.published(), year=year)
        rows = figure_rows(review)
        if extension == "csv":
            body, content_type = figures_csv(rows), "text/csv; charset=utf-8"
        else:
            body, content_type = figures_json(review, rows), "application/json; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="xinjing-{year}-figures.{extension}"'
        )
        return response


class ColumnDownloadView(PublicPage):
    """A column's published rows as CSV or JSON, both languages in one file; the column's
    model is given in the URLconf."""

    model = None

    def get(self, request: HttpRequest, extension: str) -> HttpResponse:
        records, fields = column_records(self.model)
        name = self.model._meta.model_name
        if extension == "csv":
            body, content_type = column_csv(records, fields), "text/csv; charset=utf-8"
        else:
            body, content_type = column_json(self.model, records), "application/json; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="xinjing-{name}.{extension}"'
        return response


def read_only(view):
    """Function views (feeds, sitemap) answer POST and other writes with 405, as pages do."""
    return csrf_exempt(require_safe(view))


# The weekly site's columns ------------------------------------------------------------------


class ColumnPage(InColumn, PublicPage):
    """A dated column's list pages (news, notices): every item, a year's, a month's, newest
    first. The column's model is given in the URLconf, as_view(model=News)."""

    date_field = "publish_at"
    # Which items a reader may see is visible_to()'s decision, scheduled ones included.
    allow_future = True
    # A year or month with nothing in it is a 404, so that no made-up date is a page of its own.
    allow_empty = False
    make_object_list = True
    month_format = "%m"
    paginate_by = 20
    query_parameters = ("page",)
    template_name = "highlights/column_list.html"
    context_object_name = "items"

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.request.user).newest_first()

    def get_context_data(self, **kwargs) -> dict:
        if "years" not in kwargs:
            kwargs["years"] = self.get_queryset().dates("publish_at", "year", "DESC")
        name = self.model._meta.model_name
        return super().get_context_data(
            column_urls={
                part: f"highlights:{name}_{part}"
                for part in ("list", "year", "month", "rss", "atom")
            },
            item_template=f"highlights/includes/{name}_item.html",
            admin_list=f"admin:highlights_{name}_changelist",
            **kwargs,
        )


class ColumnIndexView(ColumnPage, ArchiveIndexView):
    allow_empty = True

    def get_context_data(self, **kwargs) -> dict:
        # The index's periods are the years with items: no need to read them twice.
        return super().get_context_data(
            title=self.column.name,
            description=self.column.description,
            years=kwargs["date_list"],
            **kwargs,
        )


class ColumnYearView(ColumnPage, YearArchiveView):
    def get_context_data(self, **kwargs) -> dict:
        title = _("%(column)s of %(year)s") % {
            "column": self.column.name,
            "year": self.get_year(),
        }
        return super().get_context_data(title=title, **kwargs)


class ColumnMonthView(ColumnPage, MonthArchiveView):
    def get_context_data(self, **kwargs) -> dict:
        title = _("%(column)s of %(month)s") % {
            "column": self.column.name,
            "month": date_format(kwargs["month"], "YEAR_MONTH_FORMAT"),
        }
        return super().get_context_data(title=title, **kwargs)


class NewsDetailView(SharedPage, PublicPage, DetailView):
    context_object_name = "story"

    def get_queryset(self) -> QuerySet[News]:
        user = self.request.user
        return News.objects.visible_to(user).prefetch_related(
            Prefetch("keywords", Keyword.objects.visible_to(user).select_related("review")),
            Prefetch(
                "initiatives",
                Initiative.objects.visible_to(user).select_related("keyword__review"),
            ),
            Prefetch("places", Place.objects.visible_to(user)),
            "photos",
        )


class NoticeDetailView(SharedPage, PublicPage, DetailView):
    context_object_name = "notice"

    def get_queryset(self) -> QuerySet[Notice]:
        return Notice.objects.visible_to(self.request.user).prefetch_related("attachments")


class AttachmentView(PublicPage, DetailView):
    """A notice's document, downloaded under the name it was uploaded with: never shown in the
    browser, and sandboxed should a browser try."""

    def get_queryset(self) -> QuerySet[Attachment]:
        notices = Notice.objects.visible_to(self.request.user)
        return Attachment.objects.filter(notice__in=notices, notice__slug=self.kwargs["slug"])

    def get(self, request: HttpRequest, *args, **kwargs) -> FileResponse:
        attachment = self.get_object()
        try:
            stored = attachment.file.open("rb")
        except OSError as error:
            raise Http404("The document is missing from the media folder.") from error
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=attachment.file_name or attachment.file.name,
            content_type=document_content_type(attachment.file.name),
        )
        response["Content-Security-Policy"] = "sandbox"
        return response


class OpeningHoursPage(PublicPage):
    """A page saying whether places are open: caches keep it only until that changes."""

    def place_statuses(self, places) -> None:
        """Give each place its `opening` status now, and note when the first of them changes."""
        now = timezone.now()
        seconds = []
        for place in places:
            place.opening = place.opening_status(now)
            if place.opening is not None:
                seconds.append(place.opening.seconds_left(now))
        self.valid_for = min(seconds, default=None)

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if self.valid_for is not None:
            patch_cache_control(response, max_age=self.valid_for)
        return response


class PlaceListView(InColumn, OpeningHoursPage, ListView):
    """Every place, grouped by kind; a street or a name narrows the list."""

    model = Place
    template_name = "highlights/place_list.html"
    context_object_name = "places"
    query_parameters = ("q",)

    def get_queryset(self) -> QuerySet[Place]:
        self.form = PlaceFilterForm(self.request.GET or None)
        places = Place.objects.visible_to(self.request.user).with_hours(timezone.localdate())
        if self.form.is_valid() and self.form.cleaned_data["q"]:
            places = places.matching(self.form.cleaned_data["q"])
        return places.by_kind()

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if self.form.errors:
            # Every place, saying what is wrong: kept by no shared cache, as for awards.
            patch_cache_control(response, private=True)
        return response

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        places = list(context["places"])
        self.place_statuses(places)
        kinds = dict(PlaceKind.choices)
        context["groups"] = [
            (kinds[kind], list(group))
            for kind, group in groupby(places, key=lambda place: place.kind)
        ]
        return {
            **context,
            "form": self.form,
            "title": self.column.name,
            "description": self.column.description,
            "admin_list": "admin:highlights_place_changelist",
        }


class PlaceDetailView(SharedPage, OpeningHoursPage, DetailView):
    context_object_name = "place"

    def get_queryset(self) -> QuerySet[Place]:
        user = self.request.user
        return (
            Place.objects.visible_to(user)
            .with_hours(timezone.localdate())
            .prefetch_related(
                Prefetch(
                    "initiatives",
                    Initiative.objects.visible_to(user).select_related("keyword__review"),
                ),
                Prefetch("news", News.objects.visible_to(user).newest_first(), to_attr="stories"),
                "photos",
            )
        )

    def get_context_data(self, **kwargs) -> dict:
        self.place_statuses([self.object])
        return super().get_context_data(**kwargs)


class GuideListView(InColumn, PublicPage, ListView):
    """Every service guide, by name."""

    model = ServiceGuide
    template_name = "highlights/serviceguide_list.html"
    context_object_name = "guides"

    def get_queryset(self) -> QuerySet[ServiceGuide]:
        return ServiceGuide.objects.visible_to(self.request.user).by_title()

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            title=self.column.name,
            description=self.column.description,
            admin_list="admin:highlights_serviceguide_changelist",
            **kwargs,
        )


class GuideDetailView(SharedPage, PublicPage, DetailView):
    context_object_name = "guide"

    def get_queryset(self) -> QuerySet[ServiceGuide]:
        places = Place.objects.visible_to(self.request.user)
        return ServiceGuide.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("places", places)
        )
