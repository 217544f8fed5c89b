"""Site-wide answers: no framing by other sites, and JSON errors on the JSON routes."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    QueryDict,
)
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from .inputs import shown
from .negotiation import is_negotiated_route, prefers_json

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# What a person or a script reads in {"error": ...} when Django itself refused the request.
ERROR_MESSAGES = {
    400: "bad request: the request could not be read (too large or malformed)",
    403: "forbidden: this request needs the page's CSRF token",
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
        return prefers_json(request)  # the page's JSON (the history) has JSON errors too
    if is_negotiated_route(request):
        return False
    return path.startswith(tuple(settings.JSON_ROUTE_PREFIXES))


def error_message(request: HttpRequest, response: HttpResponse) -> str:
    """One line saying why the request was refused; never a traceback or a server path."""
    status = response.status_code
    if status == 405:
        return f"method not allowed: use {response.get('Allow', 'another method')}"
    if status == 403:
        return f"forbidden: a {request.method} here needs the page's CSRF token"
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
        response = self.json_error(request, self.get_response(request))
        response = method_page(request, response)
        if request.path_info.startswith(tuple(settings.HTML_FOR_BROWSERS)):
            # One URL, a page or JSON by Accept (errors too): a cache must key on Accept.
            patch_vary_headers(response, ("Accept",))
        return response

    def json_error(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The answer itself, or its JSON twin when it is an HTML error on a JSON route."""
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


def method_page(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A browser's 405 (a form posted to a report's page) is a page, not Django's empty body."""
    if response.status_code != 405 or response.content or not is_negotiated_route(request):
        return response
    html = render_to_string(
        "toyex/method_not_allowed.html",
        {"method": request.method, "allowed": response.get("Allow", ""), "path": request.path},
        request=request,
    )
    page = HttpResponse(html, status=405)
    page["Allow"] = response.get("Allow", "")
    page._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
    return page


def charset_refusal(request: HttpRequest) -> str | None:
    """Why a form body's charset cannot be read, or None; UTF-8 by any spelling is read as UTF-8.

    Django refuses a non-UTF-8 form body only once something reads ``request.POST`` (CSRF, the
    view) and then again inside every error view that reads it: a 500 from the WSGI server.
    """
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None  # Django reads a form body on a POST only
    charset = (request.content_params or {}).get("charset")
    if charset is None:
        return None
    try:
        utf_8 = codecs.lookup(charset).name == "utf-8"
    except LookupError:
        utf_8 = False
    if utf_8:
        request.encoding = "utf-8"  # "UTF8" and "utf_8" are UTF-8; Django wants that spelling
        return None
    return (
        f"a form body must be UTF-8: charset={shown(charset)} is not read "
        "(send it with charset=utf-8 or no charset)"
    )


def query_refusal(request: HttpRequest) -> str | None:
    """Read the query once, here; why it cannot be read (too many fields), or None.

    What fails is replaced by an empty one, so no error view (Django's debug page, the CSRF
    failure view, the admin e-mail's report) reads it again and fails inside the error handling.
    """
    try:
        request.GET  # noqa: B018 - parsed now, on purpose
    except (BadRequest, SuspiciousOperation) as exc:
        request.GET = QueryDict()
        request._mark_post_parse_error()  # type: ignore[attr-defined]
        log_suspicious(request, exc)
        return refusal_words(exc)
    return None


def body_refusal(request: HttpRequest) -> str | None:
    """Read a POST's form once, here (as ``query_refusal``); why it cannot be read, or None."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    try:
        request.POST  # noqa: B018
    except (BadRequest, SuspiciousOperation, MultiPartParserError) as exc:
        request._mark_post_parse_error()  # type: ignore[attr-defined]
        log_suspicious(request, exc)
        return refusal_words(exc)
    return None


def log_suspicious(request: HttpRequest, exc: Exception) -> None:
    """Log a SuspiciousOperation as Django's handler would have (``django.security.<Name>``, ERROR).

    Caught here, it no longer reaches that handler; the admins still get its e-mail, with the
    exception named in the subject as Django's own record would.
    """
    if isinstance(exc, SuspiciousOperation):
        logging.getLogger(f"django.security.{type(exc).__name__}").error(
            str(exc), exc_info=exc, extra={"status_code": 400, "request": request}
        )


def refusal_words(exc: Exception) -> str:
    """One line for a request Django could not parse; never the exception's own wording."""
    if isinstance(exc, RequestDataTooBig):
        return "request body too large"
    if type(exc).__name__ in ("TooManyFieldsSent", "TooManyFilesSent"):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return f"bad request: too many fields in the query or the form (at most {limit})"
    return ERROR_MESSAGES[400]


class RequestDataMiddleware:
    """Refuse, with a 400 and before anything reads it, a query or form body Django cannot read.

    Before CSRF and the views, so nothing is queued; JSON on JSON routes, plain text elsewhere.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The query first: setting the encoding (charset_refusal) re-reads it.
        refusal = query_refusal(request) or charset_refusal(request) or body_refusal(request)
        if refusal is None:
            return self.get_response(request)
        if is_json_route(request):
            return JsonResponse({"error": refusal}, status=400)
        return HttpResponse(refusal, status=400, content_type="text/plain; charset=utf-8")


class AllowedMethodsMiddleware:
    """A wrong method is a 405 with Allow before the CSRF check can call it a missing token.

    Views say their methods with ``celery_uncovered.web.httpmethods.allow``; others are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        """The 405 the view's own decorator would give, earlier; None lets the request on."""
        allowed = getattr(view, "allowed_methods", None)
        if allowed is None or request.method in allowed:
            return None
        return HttpResponseNotAllowed(list(allowed))
