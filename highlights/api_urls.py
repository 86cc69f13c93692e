from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("reviews", api.ReviewViewSet, basename="review")
router.register("keywords", api.KeywordViewSet, basename="keyword")
router.register("initiatives", api.InitiativeViewSet, basename="initiative")
router.register("metrics", api.MetricViewSet, basename="metric")
router.register("awards", api.AwardViewSet, basename="award")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
