"""URL configuration: each scenario app brings its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("celery_uncovered.toyex.urls")),
    path("", include("celery_uncovered.tricks.urls")),
]
