"""Scenario 1 and 2 routes."""

from django.urls import path

from celery_uncovered.web import converters  # noqa: F401 - registers anycase_uuid

from .errormail import views as errormail
from .hotrepos import views

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports", views.reports_without_slash, name="reports-without-slash"),
    path("reports/<anycase_uuid:task_id>/", views.report_status, name="report-status"),
    path("reports/<anycase_uuid:task_id>/csv", views.report_csv, name="report-csv"),
    path("report-error", errormail.report_error, name="report-error"),
]
