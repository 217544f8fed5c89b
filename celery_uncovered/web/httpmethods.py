"""Which methods a view takes, said once: for its own 405 and for the early one (middleware)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.views.decorators.http import require_http_methods

View = TypeVar("View", bound=Callable[..., Any])


def allow(*methods: str) -> Callable[[View], View]:
    """``require_http_methods`` that also marks the view, so a 405 can come before the CSRF check.

    ``AllowedMethodsMiddleware`` reads ``allowed_methods``; wrappers made with ``functools.wraps``
    (``never_cache``) carry it along.
    """

    def decorate(view: View) -> View:
        checked: Any = require_http_methods(list(methods))(view)
        checked.allowed_methods = tuple(methods)
        return checked  # type: ignore[no-any-return]

    return decorate
