from django.urls import path, re_path

from . import views
from .feeds import ColumnAtomFeed, ColumnFeed, LatestKeywordsAtomFeed, LatestKeywordsFeed
from .models import News, Notice, Place, ServiceGuide
from .views import read_only

app_name = "highlights"


def column(prefix: str, model) -> list:
    """A dated column's pages: its list, a year's and a month's items, and its feeds."""
    name = model._meta.model_name
    return [
        path(f"{prefix}/", views.ColumnIndexView.as_view(model=model), name=f"{name}_list"),
        path(
            f"{prefix}/<int:year>/",
            views.ColumnYearView.as_view(model=model),
            name=f"{name}_year",
        ),
        re_path(
            rf"^{prefix}/(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/$",
            views.ColumnMonthView.as_view(model=model),
            name=f"{name}_month",
        ),
        *feeds(prefix, model),
    ]


def feeds(prefix: str, model) -> list:
    """A column's newest items as RSS and Atom feeds."""
    name = model._meta.model_name
    return [
        path(f"{prefix}/feed/", read_only(ColumnFeed(model)), name=f"{name}_rss"),
        path(f"{prefix}/feed/atom/", read_only(ColumnAtomFeed(model)), name=f"{name}_atom"),
    ]


def downloads(model) -> list:
    """A column's published rows as open data, in a spreadsheet and for programs."""
    name = model._meta.model_name
    return [
        path(
            f"open-data/{name}.{extension}",
            views.ColumnDownloadView.as_view(model=model),
            {"extension": extension},
            name=f"{name}_{extension}",
        )
        for extension in ("csv", "json")
    ]


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("reviews/", views.ReviewArchiveView.as_view(), name="review_archive"),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path("search/", views.SearchView.as_view(), name="search"),
    *column("news", News),
    *column("notices", Notice),
    *[pattern for model in (News, Notice, ServiceGuide, Place) for pattern in downloads(model)],
    path("notices/<slug:slug>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path(
        "notices/<slug:slug>/files/<int:pk>/",
        views.AttachmentView.as_view(),
        name="notice_attachment",
    ),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news_detail"),
    path("services/", views.GuideListView.as_view(), name="guide_list"),
    *feeds("services", ServiceGuide),
    path("services/<slug:slug>/", views.GuideDetailView.as_view(), name="guide_detail"),
    path("places/", views.PlaceListView.as_view(), name="place_list"),
    *feeds("places", Place),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="place_detail"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("care/", views.CareModeView.as_view(), name="care_mode"),
    path("open-data/", views.OpenDataView.as_view(), name="open_data"),
    path("manifest.webmanifest", views.ManifestView.as_view(), name="manifest"),
    path("feed/", read_only(LatestKeywordsFeed()), name="feed_rss"),
    path("feed/atom/", read_only(LatestKeywordsAtomFeed()), name="feed_atom"),
    path("<int:year>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("<int:year>/figures/", views.FiguresView.as_view(), name="review_figures"),
    path("<int:year>/review.pdf", views.ReviewPdfView.as_view(), name="review_pdf"),
    path(
        "<int:year>/figures.csv",
        views.FiguresDownloadView.as_view(),
        {"extension": "csv"},
        name="review_figures_csv",
    ),
    path(
        "<int:year>/figures.json",
        views.FiguresDownloadView.as_view(),
        {"extension": "json"},
        name="review_figures_json",
    ),
    path(
        "<int:year>/keywords/<slug:slug>/",
        views.KeywordDetailView.as_view(),
        name="keyword_detail",
    ),
    path(
        "<int:year>/keywords/<slug:keyword_slug>/<slug:slug>/",
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
]
