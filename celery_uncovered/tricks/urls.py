"""Scenario 4 routes."""

from django.urls import path

from celery_uncovered.web import converters  # noqa: F401 - registers anycase_uuid

from . import views

urlpatterns = [
    path("scenario/", views.scenario, name="scenario"),
    path("scenario/<anycase_uuid:task_id>/", views.scenario_result, name="scenario-result"),
]
