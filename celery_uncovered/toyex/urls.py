"""Scenario 1 and 2 routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("report-error", views.report_error, name="report-error"),
]
