from django.urls import path

from . import views
from .feeds import LatestKeywordsAtomFeed, LatestKeywordsFeed
from .views import read_only

app_name = "highlights"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("reviews/", views.ReviewArchiveView.as_view(), name="review_archive"),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path("search/", views.SearchView.as_view(), name="search"),
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
