"""Scenario 4 routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("scenario/", views.scenario, name="scenario"),
    path("scenario/<uuid:task_id>/", views.scenario_result, name="scenario-result"),
]
