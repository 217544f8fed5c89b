"""Production: debug off, a real secret key required, no /report-error."""

from .base import *  # noqa: F403
from .base import env, logging_config

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
REPORT_ERROR_VIEW = False
LOGGING = logging_config("require_debug_false")
