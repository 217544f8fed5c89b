"""Production: debug off, a real secret key required, no /report-error."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import logging_config, text

DEBUG = False
SECRET_KEY = text("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production needs a secret key of its own, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
REPORT_ERROR_VIEW = False
LOGGING = logging_config("require_debug_false")
