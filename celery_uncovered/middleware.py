"""Site-wide answers: no framing by other sites, and JSON errors on the JSON routes."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .negotiation import is_negotiated_route

# What a person or a script reads in {"error": ...} when Django itself refused the request.
ERROR_MESSAGES = {
    400: "bad request: the request could not be read (too large or malformed)",
    403: "forbidden: a POST needs the page's CSRF token",
    404: "not found",
    413: "request body too large",
    500: "internal server error: the admins have been told",
}


class ContentSecurityPolicyMiddleware:
    """Send ``CONTENT_SECURITY_POLICY`` on every answer that does not set its own.

    Django 5.2 has no CSP support; the policy (settings) is about framing and plugins, not inline
    code, so the report page's inline script and style keep working.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


def is_json_route(request: HttpRequest) -> bool:
    """Everything under ``JSON_ROUTE_PREFIXES`` except the HTML page ``GET /reports/``.

    Nor what a browser asks for under ``HTML_FOR_BROWSERS`` (a report's page and its 404).
    """
    path = request.path_info
    if path in settings.HTML_PAGES and request.method in ("GET", "HEAD"):
        return False
    if is_negotiated_route(request):
        return False
    return path.startswith(tuple(settings.JSON_ROUTE_PREFIXES))


def error_message(request: HttpRequest, response: HttpResponse) -> str:
    """One line saying why the request was refused; never a traceback or a server path."""
    status = response.status_code
    if status == 405:
        return f"method not allowed: use {response.get('Allow', 'another method')}"
    if status in ERROR_MESSAGES:
        return ERROR_MESSAGES[status]
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"error {status}"


class JsonErrorsMiddleware:
    """On JSON routes, any error Django answers in HTML (400, 403, 404, 405, 500) becomes JSON.

    One place for every error: Django's own refusals (an oversized body, a CSRF failure, an
    unknown URL, a wrong method) and a crash in a view, with DEBUG on or off. The error is still
    logged (and mailed) by Django before this runs; only the answer changes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_json_route(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        answer = JsonResponse(
            {"error": error_message(request, response)}, status=response.status_code
        )
        if "Allow" in response:
            answer["Allow"] = response["Allow"]
        # Django logs an error response once and marks it; without the mark it logs this new
        # answer again on the way out, and every 500 on a JSON route mailed the admins twice.
        answer._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
        return answer
