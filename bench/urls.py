"""The site's URLs plus the framework floor the benchmark compares pages with."""

from django.urls import path

from bench.floor import FrameworkFloorView
from xinjing.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("__floor__/", FrameworkFloorView.as_view()), *site_urlpatterns]
