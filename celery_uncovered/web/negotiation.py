"""Content negotiation: one URL answers a browser with a page and a script with JSON."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def prefers_html(request: HttpRequest) -> bool:
    """True for a browser (``text/html`` ranked above JSON); False for no Accept, ``*/*``, JSON.

    Scripts, ``fetch()`` and the test client send no Accept or ``*/*``: they keep the JSON they
    always had. Only a request that ranks HTML first gets a page.
    """
    return request.get_preferred_type(["application/json", "text/html"]) == "text/html"


def prefers_json(request: HttpRequest) -> bool:
    """True when JSON is ranked above HTML: for pages whose default answer is HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def is_negotiated_route(request: HttpRequest) -> bool:
    """A route under ``HTML_FOR_BROWSERS`` asked for by a browser: its errors are pages too."""
    return request.path_info.startswith(tuple(settings.HTML_FOR_BROWSERS)) and prefers_html(request)
