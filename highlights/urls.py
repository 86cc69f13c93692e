from django.urls import path

from . import views

app_name = "highlights"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<int:year>/", views.ReviewDetailView.as_view(), name="review_detail"),
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
