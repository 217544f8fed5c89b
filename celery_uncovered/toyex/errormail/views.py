"""Scenario 2 on the web: a view that fails on purpose, so an admin e-mail can be watched leave."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


def report_error(request: HttpRequest) -> HttpResponse:
    """Raise ZeroDivisionError (a 500 and an admin e-mail); only with DEBUG or REPORT_ERROR_VIEW."""
    if not (settings.DEBUG or settings.REPORT_ERROR_VIEW):
        raise Http404("not enabled")
    return HttpResponse(str(1 / 0))
