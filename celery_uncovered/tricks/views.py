"""Scenario 4 over HTTP: the request's language travels to the worker."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .tasks import read_scenario_file_task


@require_GET
def scenario(request: HttpRequest) -> JsonResponse:
    """Queue the scenario read in the request's language (set by LocaleMiddleware); 202."""
    result = read_scenario_file_task.delay()
    return JsonResponse(
        {"task_id": result.id, "status_url": reverse("scenario-result", args=[result.id])},
        status=202,
    )


@require_GET
def scenario_result(request: HttpRequest, task_id: str) -> JsonResponse:
    """The scenario file once the worker has read it."""
    result = read_scenario_file_task.AsyncResult(task_id)
    if result.failed():
        return JsonResponse({"state": "failed", "error": str(result.result)}, status=200)
    if not result.successful():
        return JsonResponse({"state": result.state.lower()})
    return JsonResponse({"state": "done", "scenario": result.result})
