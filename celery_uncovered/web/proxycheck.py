"""Say, once, what an HTTPS redirect loop behind a TLS proxy comes from.

Behind a proxy that ends TLS, with DJANGO_SECURE_PROXY_SSL_HEADER unset, Django sees every
request as plain HTTP and SECURE_SSL_REDIRECT sends it to HTTPS, which the proxy forwards as
plain HTTP again: the browser's "too many redirects", and an access log of 301s that names no
cause. The answers do not change (a client can send the header itself); the log says the fix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
PROXY_HEADERS = ("X-Forwarded-Proto", "X-Forwarded-Ssl", "X-Forwarded-Scheme")


class ProxyHeaderCheckMiddleware:
    """Before SecurityMiddleware: a redirect to HTTPS of a request a proxy says was HTTPS."""

    warned = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not ProxyHeaderCheckMiddleware.warned
            and response.status_code == 301
            and settings.SECURE_SSL_REDIRECT
            and not settings.SECURE_PROXY_SSL_HEADER
            and forwarded_as_https(request)
        ):
            ProxyHeaderCheckMiddleware.warned = True
            logger.warning(
                "a request a proxy forwarded as HTTPS (%s) was redirected to HTTPS: "
                "DJANGO_SECURE_PROXY_SSL_HEADER is not set, so behind a TLS proxy every request "
                "is redirected for ever; set it to the header the proxy sets (README, Run it in "
                "production)",
                forwarded_as_https(request),
            )
        return response


def forwarded_as_https(request: HttpRequest) -> str:
    """The proxy header that says HTTPS, as ``Name: value``; "" when there is none."""
    for name in PROXY_HEADERS:
        value = request.headers.get(name, "")
        if value.lower() in ("https", "on"):
            return f"{name}: {value[:10]}"
    return ""
