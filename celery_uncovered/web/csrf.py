"""A CSRF refusal that says what was refused (the token, the Origin, the Referer) and is logged.

Django's CsrfViewMiddleware logs its reason ("Origin checking failed - https://x does not match
any trusted origins.") on ``django.security.csrf`` at WARNING (LOGGING keeps it) and calls this
view; the answer used to blame the token whatever the reason.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf

from .inputs import shown
from .middleware import is_json_route


def refusal(request: HttpRequest, reason: str) -> str:
    """One line naming what was refused and what would be accepted."""
    if reason.startswith("Origin checking failed"):
        origin = shown(request.headers.get("Origin", ""))
        return (
            f"forbidden: the Origin {origin} is not this site's own nor one of "
            "CSRF_TRUSTED_ORIGINS (behind a TLS proxy: set DJANGO_SECURE_PROXY_SSL_HEADER)"
        )
    if reason == csrf.REASON_NO_REFERER:
        return "forbidden: an HTTPS POST here needs a Referer header (none was sent)"
    if reason.startswith("Referer checking failed"):
        return f"forbidden: the Referer is not this site's own ({shown(reason)})"
    if reason == csrf.REASON_NO_CSRF_COOKIE:
        return (
            "forbidden: the CSRF cookie was not sent: load the page first, then post its form "
            "with the page's CSRF token"
        )
    if reason.startswith("CSRF token"):
        return f"forbidden: a {request.method} here needs the page's CSRF token ({shown(reason)})"
    return f"forbidden: {shown(reason)}"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: JSON on the JSON routes, one plain line elsewhere; always 403."""
    message = refusal(request, reason)
    if is_json_route(request):
        return JsonResponse({"error": message}, status=403)
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
