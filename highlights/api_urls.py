from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("reviews", api.ReviewViewSet, basename="review")
router.register("keywords", api.KeywordViewSet, basename="keyword")
router.register("initiatives", api.InitiativeViewSet, basename="initiative")
router.register("figures", api.FigureViewSet, basename="figure")
router.register("awards", api.AwardViewSet, basename="award")
router.register("news", api.NewsViewSet, basename="news")
router.register("notices", api.NoticeViewSet, basename="notice")
router.register("places", api.PlaceViewSet, basename="place")
router.register("service-guides", api.ServiceGuideViewSet, basename="serviceguide")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its script is a file of its own (not inline), so the page works under our CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Figures were published as "metrics" in the API's first version: old links still work.
    path(
        "metrics/",
        RedirectView.as_view(pattern_name="api:figure-list", permanent=True, query_string=True),
    ),
    path(
        "metrics/<int:pk>/",
        RedirectView.as_view(pattern_name="api:figure-detail", permanent=True, query_string=True),
    ),
    path("", include(router.urls)),
    # Only addresses ending in a slash: /api/keywords still redirects to /api/keywords/.
    re_path(r"^.*/$", api.NotFoundView.as_view()),
]
