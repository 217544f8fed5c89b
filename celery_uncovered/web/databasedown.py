"""The database not answering: a 503 that says so, in one log line, instead of a traceback.

Every page reads the database. With it unreachable (stopped, failing over, a wrong
DATABASE_URL) each request answered 500 with a traceback in the log and, in production, an
admin e-mail per request; ``runserver`` died at start in its migration check. A person needs
to hear "try again in a moment"; the operator, once per request, why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

from .middleware import is_json_route

logger = logging.getLogger(__name__)
MESSAGE = "the database is unavailable: try again in a moment"
RETRY_AFTER = "30"


def first_line(exc: BaseException) -> str:
    """The error's first line (a driver's message may run on), at most 300 characters."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return (lines[0] if lines else type(exc).__name__)[:300]


def is_database_down(exc: BaseException) -> bool:
    """A connection that could not be opened or was lost; not a query's own error."""
    return isinstance(exc, (OperationalError, InterfaceError))


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 itself: JSON on JSON routes, a line of text elsewhere; no server detail."""
    if is_json_route(request):
        response: HttpResponse = JsonResponse({"error": MESSAGE}, status=503)
    else:
        response = HttpResponse(MESSAGE, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = RETRY_AFTER
    # Logged here, once and without a traceback; Django would log (and mail) every 5xx again.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseDownMiddleware:
    """A view that met an unreachable database answers 503 (``database_unavailable``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_database_down(exc):
            return None
        logger.warning(
            "the database is unavailable: %s %s: %s", request.method, request.path, first_line(exc)
        )
        return database_unavailable(request)
