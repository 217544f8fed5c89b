"""The WSGI application (``WSGI_APPLICATION``; runserver and any WSGI server), with one fix.

Django 5.2 builds a request and, when its Content-Type names a charset, sets ``encoding``
through a setter that first evaluates ``request.GET``: a query of more than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields then raises ``TooManyFieldsSent`` while the request is
being built, before any middleware or error view, and the WSGI server answers a plain-text 500.
This request keeps the charset without parsing the query; ``RequestDataMiddleware`` then refuses
the query with a 400 like any other.
"""

from __future__ import annotations

import codecs
import os
from typing import Any

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters


class CharsetSafeRequest(WSGIRequest):
    """A WSGIRequest whose charset is recorded without evaluating ``GET`` on the way."""

    def _set_content_type_params(self, meta: dict[str, Any]) -> None:
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )
        charset = self.content_params.get("charset")
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                return
            self._encoding = charset  # nothing parsed yet: no GET or POST to drop


class Handler(WSGIHandler):
    """Django's WSGI handler building ``CharsetSafeRequest``."""

    request_class = CharsetSafeRequest


def get_application() -> Handler:
    """Set Django up (as ``get_wsgi_application`` does) and return the handler."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup(set_prefix=False)
    return Handler()


application = get_application()
