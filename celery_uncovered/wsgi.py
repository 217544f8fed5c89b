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
import sys
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


# A WSGI server is production: started without DJANGO_SETTINGS_MODULE it must not fall back to
# the developer's settings (DEBUG on, tracebacks to the world). runserver sets the module first.
DEFAULT_SETTINGS = "config.settings.production"
# gunicorn's exit status for a worker that cannot boot: the master stops instead of respawning.
BOOT_ERROR = 3


def get_application() -> Handler:
    """Set Django up (as ``get_wsgi_application`` does) and return the handler.

    A misconfigured setting is one line naming the variable and a stop, not a traceback per
    gunicorn worker.
    """
    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    try:
        django.setup(set_prefix=False)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"ImproperlyConfigured: {exc}\n")
        sys.stderr.flush()
        raise SystemExit(BOOT_ERROR) from None
    return Handler()


application = get_application()
