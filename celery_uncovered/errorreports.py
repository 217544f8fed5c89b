"""Error reports (Django's DEBUG page, the admin e-mails) without the passwords inside URLs.

Django's ``SafeExceptionReporterFilter`` hides settings by *name* (API, TOKEN, KEY, SECRET, PASS,
SIGNATURE). ``CELERY_BROKER_URL = "amqp://guest:guest@host//"`` matches none of them, so the
broker's password was printed in full on the debug page and in every admin e-mail. This filter
also hides the password of every ``scheme://user:password@host`` it finds in a setting, in the
request's META (runserver copies the environment there) or in a frame's string variables, and
keeps the rest of the URL readable (scheme, user, host, port, path).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter

URL_CREDENTIALS = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]+@")
HIDDEN = "********"


def hide_url_passwords(text: str) -> str:
    """``text`` with the password of every URL in it replaced by asterisks."""
    return URL_CREDENTIALS.sub(rf"\g<head>:{HIDDEN}@", text)


class CredentialCleansingFilter(SafeExceptionReporterFilter):
    """Django's filter, plus URL passwords hidden wherever a string is shown."""

    def cleanse_setting(self, key: int | str, value: Any) -> Any:
        """Settings and request META: by name as Django does, then URL passwords in strings."""
        value = super().cleanse_setting(key, value)
        return hide_url_passwords(value) if isinstance(value, str) else value

    def cleanse_special_types(self, request: HttpRequest | None, value: Any) -> Any:
        """A frame's local variables: a URL held in a string shows without its password."""
        value = super().cleanse_special_types(request, value)
        return hide_url_passwords(value) if isinstance(value, str) else value
