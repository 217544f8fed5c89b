"""Scenario 1 on the web (queue, follow, download the report) and scenario 2's failing view."""

from __future__ import annotations

import io
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from .dates import PERIODS
from .models import Report
from .queueing import QueueUnavailable, queue_report
from .workers import status_notice


@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST: queue a report, 202 with where to follow it; 400 on bad input."""
    if request.method == "GET":
        return render(request, "toyex/reports.html", {"periods": PERIODS})
    try:
        claim = queue_report(request.POST.get("period", ""), request.POST.get("date") or None)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except QueueUnavailable as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    # A report of that period and day already queued or running answers in its own name.
    return JsonResponse(
        {
            "task_id": claim.report.task_id,
            "status_url": reverse("report-status", args=[claim.report.task_id]),
            "existing": claim.existing,
        },
        status=202,
    )


def report_status_payload(report: Report) -> dict:
    """What the page shows: state, pages, GitHub's incomplete flag, a readable error, the link."""
    done = report.status == Report.Status.DONE
    return {
        "task_id": report.task_id,
        "period": report.period,
        "since": report.since,
        "state": report.status,
        "pages_fetched": min(report.pages_fetched, report.pages_total),
        "pages_total": report.pages_total,
        "incomplete_results": report.incomplete_results,
        "error": report.error if report.status == Report.Status.FAILED else "",
        "notice": status_notice(report),
        "download_url": reverse("report-csv", args=[report.task_id]) if done else None,
    }


@require_GET
def report_status(request: HttpRequest, task_id: UUID) -> JsonResponse:
    """The report's progress; an id nobody queued is a 404, not a PENDING forever."""
    report = get_object_or_404(Report, task_id=str(task_id))
    return JsonResponse(report_status_payload(report))


def report_file(report: Report) -> Path | None:
    """The report's own CSV, if it is finished, well named, inside MEDIA_ROOT and on disk."""
    if report.status != Report.Status.DONE:
        return None
    try:
        path = report.csv_path.resolve()
    except ValueError:  # a row whose date or id cannot name a file
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    return path if path.parent == root and path.is_file() else None


@require_GET
def report_csv(request: HttpRequest, task_id: UUID) -> FileResponse:
    """That report's own CSV as an attachment, named as in the tutorial; nothing from the URL.

    Served from the database, where the worker put it with "done": the worker that built it may
    run on another host. A report done before the CSV was kept there falls back to its file.
    """
    report = get_object_or_404(Report, task_id=str(task_id))
    if report.status == Report.Status.DONE and report.csv_content:
        body = io.BytesIO(report.csv_content.encode("utf-8"))
    else:
        path = report_file(report)
        if path is None:
            raise Http404("the report is not ready")
        body = path.open("rb")
    return FileResponse(
        body,
        as_attachment=True,
        filename=report.download_name,
        content_type="text/csv",
    )


def report_error(request: HttpRequest) -> HttpResponse:
    """Raise ZeroDivisionError (a 500 and an admin e-mail); only with DEBUG or REPORT_ERROR_VIEW."""
    if not (settings.DEBUG or settings.REPORT_ERROR_VIEW):
        raise Http404("not enabled")
    return HttpResponse(str(1 / 0))
