"""URL configuration: each scenario app brings its own routes; the report page is the home page."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reports"), name="home"),
    path("", include("celery_uncovered.toyex.urls")),
    path("", include("celery_uncovered.tricks.urls")),
]
