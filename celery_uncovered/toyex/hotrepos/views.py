"""Scenario 1 on the web: queue, follow and download the report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from celery_uncovered.messaging.sending import QueueUnavailable
from celery_uncovered.toyex.models import Report
from celery_uncovered.web.clients import client_address
from celery_uncovered.web.httpmethods import allow
from celery_uncovered.web.inputs import shown
from celery_uncovered.web.middleware import FORM_TYPES
from celery_uncovered.web.negotiation import prefers_html, prefers_json

from .dates import PERIODS, InvalidReportRequest
from .presenting import (
    PERIOD_HELP,
    date_bounds,
    download_name,
    history_entry,
    report_status_payload,
)
from .queueing import queue_report

REPORTS_PER_PAGE = 20
# Reports still queued or running, offered to anyone about to ask for the same period and day.
ACTIVE_SHOWN = 20


FORM_FIELDS = ("period", "date")


def sent_twice(request: HttpRequest) -> dict[str, str]:
    """The form's fields sent more than once: refused rather than read as their last value.

    ``period=week&period=day`` made a day report. The fields' values are checked by
    ``queue_report`` (the one validation of a report request), which reports these beside them.
    """
    return {
        name: f"{name} was sent {len(values)} times: send it once"
        for name in FORM_FIELDS
        if len(values := request.POST.getlist(name)) > 1
    }


def history_context(request: HttpRequest) -> dict[str, Any]:
    """The page of history asked for (``?page=``, clamped), newest first, and the active reports."""
    reports = Report.objects.with_pages_fetched().order_by("-created", "-pk")
    paginator = Paginator(reports, REPORTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    active = reports.filter(status__in=(Report.Status.QUEUED, Report.Status.RUNNING))[:ACTIVE_SHOWN]
    return {
        "page_obj": page,
        "entries": [{**history_entry(report), "report": report} for report in page],
        "active": [history_entry(report) for report in active],
    }


def render_form_page(
    request: HttpRequest,
    chosen: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The form and the history; with a refused POST's choices and messages when there was one."""
    context = history_context(request)
    bounds = date_bounds()
    chosen = chosen or {"period": "week", "date": ""}
    minimums: dict[str, str] = bounds["min"]  # type: ignore[assignment]
    return render(
        request,
        "toyex/reports.html",
        {
            **context,
            "periods": [(period, PERIOD_HELP[period]) for period in PERIODS],
            "bounds": bounds,
            # The date field's min for the period shown, in the HTML itself (no JS needed).
            "date_min": minimums.get(chosen["period"], minimums["today"]),
            "chosen": chosen,
            "errors": errors or {},
        },
        status=status,
    )


def history_json(request: HttpRequest) -> JsonResponse:
    """The history for scripts and the form's "already under way" offer."""
    context = history_context(request)
    page = context["page_obj"]
    return JsonResponse(
        {
            "reports": [history_entry(report) for report in page],
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "active": context["active"],
        }
    )


# never_cache: Back must show the history as it is now, not the copy the browser kept.
@never_cache
@allow("GET", "HEAD", "POST")
def reports(request: HttpRequest) -> HttpResponse:
    """GET: the form and the history (JSON if asked). POST: queue a report, 202 (303 for a form).

    HEAD is a GET without the body (Django drops it), not a POST without fields.
    """
    if request.method in ("GET", "HEAD"):
        return history_json(request) if prefers_json(request) else render_form_page(request)
    if request.content_type and request.content_type not in FORM_TYPES:
        return JsonResponse(
            {
                "error": f"send a form body ({' or '.join(FORM_TYPES)}), "
                f"not {shown(request.content_type)}"
            },
            status=415,
        )
    period, ref_date = request.POST.get("period", ""), request.POST.get("date") or None
    try:
        claim = queue_report(
            period, ref_date, client=client_address(request), refused=sent_twice(request)
        )
    except InvalidReportRequest as exc:
        return refused(request, period, ref_date, exc.errors)
    except QueueUnavailable as exc:
        answer = refused(request, period, ref_date, {"form": str(exc)}, status=exc.status)
        answer["Retry-After"] = str(exc.retry_after)  # 429 and 503 both say when to ask again
        return answer
    # A report of that period and day already queued or running answers in its own name.
    task_id = claim.report.task_id
    status_url = reverse("report-status", args=[task_id])
    if prefers_html(request):  # a form posted without JavaScript: show the report's page
        return HttpResponseRedirect(status_url, status=303)
    return JsonResponse(
        {"task_id": task_id, "status_url": status_url, "existing": claim.existing}, status=202
    )


def refused(
    request: HttpRequest,
    period: str,
    ref_date: str | None,
    errors: dict[str, str],
    status: int = 400,
) -> HttpResponse:
    """A refused POST: 400 for bad input (each message by its field), 503 or 429 when nothing
    was queued.

    JSON keeps ``error`` and ``field`` (the first) for scripts, and ``errors`` has them all.
    """
    if prefers_html(request):
        chosen = {"period": period, "date": ref_date or ""}
        return render_form_page(request, chosen, errors, status=status)
    if "form" in errors:  # nothing could be queued (503, 429): no field to name
        return JsonResponse({"error": errors["form"]}, status=status)
    body = {"error": "; ".join(errors.values()), "field": next(iter(errors)), "errors": errors}
    return JsonResponse(body, status=status)


@never_cache
@allow("GET", "HEAD")
def report_status(request: HttpRequest, task_id: UUID) -> HttpResponse:
    """The report: its page for a browser, its progress as JSON for scripts; unknown ids are 404.

    An id nobody queued is a 404, not a PENDING forever; a browser gets a page saying so.
    """
    reports = Report.objects.prefetch_related("page_rows")
    html = prefers_html(request)
    try:
        report = get_object_or_404(reports, task_id=str(task_id))
    except Http404:
        if html:
            return render(request, "toyex/report_missing.html", status=404)
        raise
    payload = report_status_payload(report)
    if html:
        return render(request, "toyex/report.html", {"report": report, "status": payload})
    return JsonResponse(payload)


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


# never_cache: the report is one person's data; no proxy or shared cache may keep a copy (no-store).
@never_cache
@allow("GET", "HEAD")
def report_csv(request: HttpRequest, task_id: UUID) -> HttpResponseBase:
    """That report's own CSV as an attachment, named as in the tutorial; nothing from the URL.

    Served from the database, where the worker put it with "done": the worker that built it may
    run on another host. A report done before the CSV was kept there falls back to its file.
    """
    report = get_object_or_404(Report, task_id=str(task_id))
    body: io.BufferedIOBase
    if report.status == Report.Status.DONE and report.csv_content:
        body = io.BytesIO(report.csv_content.encode("utf-8"))
    else:
        path = report_file(report)
        if path is None:  # say why, rather than a bare "not found" for a report that exists
            message = f"the report is not ready: it is {report.status}"
            if prefers_html(request):  # a browser: a page with the way to the report
                return render(
                    request,
                    "toyex/report_not_ready.html",
                    {"report": report, "message": message},
                    status=404,
                )
            return JsonResponse({"error": message}, status=404)
        body = path.open("rb")
    return FileResponse(
        body,
        as_attachment=True,
        filename=download_name(report),
        content_type="text/csv; charset=utf-8",  # the body is UTF-8 (report.write_atomically)
    )


# Outside CSRF: it queues nothing and reads no body; a POST sent here learns the real URL.
@csrf_exempt
def reports_without_slash(request: HttpRequest) -> HttpResponse:
    """``/reports``: a 308 to ``/reports/`` (same method and body), saying so in JSON.

    Django's APPEND_SLASH answered a POST with a 301, which clients follow as a GET (nothing
    queued, nothing said), or with DEBUG on raised a RuntimeError (a 500 and an admin e-mail).
    """
    target = reverse("reports")
    query = request.META.get("QUERY_STRING", "")
    location = f"{target}?{query}" if query else target
    answer = JsonResponse(
        {"error": f"this URL is {target} (with the slash): send the request there"}, status=308
    )
    answer["Location"] = location
    return answer
