"""Scenario 4 over HTTP: the request's language travels to the worker."""

from uuid import UUID

from celery.utils import uuid
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation

from celery_uncovered.messaging.sending import (
    PERSON_RETRY_POLICY,
    QueueUnavailable,
    send_for_a_person,
)
from celery_uncovered.web.httpmethods import allow

from .models import ScenarioRead
from .scopes import locale_id_for
from .tasks import read_scenario_file_task


@allow("POST")
def scenario(request: HttpRequest) -> JsonResponse:
    """Queue the scenario read in the request's language (set by LocaleMiddleware); 202.

    A POST (CSRF-checked): it starts work. The read is recorded before the message is sent, so
    its status URL answers at once; if the broker does not take it, the record goes too.
    """
    read = ScenarioRead.objects.create(
        task_id=uuid(), locale_id=locale_id_for(translation.get_language())
    )
    try:
        send_for_a_person(
            lambda: read_scenario_file_task.apply_async(
                task_id=read.task_id, retry_policy=PERSON_RETRY_POLICY
            ),
            undo=read.delete,
        )
    except QueueUnavailable as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return JsonResponse(
        {"task_id": read.task_id, "status_url": reverse("scenario-result", args=[read.task_id])},
        status=202,
    )


@allow("GET", "HEAD")
def scenario_result(request: HttpRequest, task_id: UUID) -> JsonResponse:
    """The scenario file once the worker has read it; only for reads this route queued."""
    read = get_object_or_404(ScenarioRead, task_id=str(task_id))
    result = read_scenario_file_task.AsyncResult(read.task_id)
    if result.failed():
        return JsonResponse({"state": "failed", "error": str(result.result)[:500]})
    if not result.successful():
        return JsonResponse({"state": result.state.lower()})
    return JsonResponse({"state": "done", "scenario": result.result})
