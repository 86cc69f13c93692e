from django.urls import path, re_path

from . import views
from .feeds import LatestKeywordsAtomFeed, LatestKeywordsFeed, NewsAtomFeed, NewsFeed
from .views import read_only

app_name = "highlights"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("reviews/", views.ReviewArchiveView.as_view(), name="review_archive"),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("news/", views.NewsArchiveView.as_view(), name="news_list"),
    path("news/<int:year>/", views.NewsYearView.as_view(), name="news_year"),
    re_path(
        r"^news/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.NewsMonthView.as_view(),
        name="news_month",
    ),
    path("news/feed/", read_only(NewsFeed()), name="news_rss"),
    path("news/feed/atom/", read_only(NewsAtomFeed()), name="news_atom"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news_detail"),
    path("places/", views.PlaceListView.as_view(), name="place_list"),
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
