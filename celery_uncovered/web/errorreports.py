"""Error reports (Django's DEBUG page, the admin e-mails) without the passwords inside URLs.

Django's ``SafeExceptionReporterFilter`` hides settings by *name* (API, TOKEN, KEY, SECRET, PASS,
SIGNATURE). ``CELERY_BROKER_URL = "amqp://guest:guest@host//"`` matches none of them, so the
broker's password was printed in full on the debug page and in every admin e-mail. This filter
also hides the password of every ``scheme://user:password@host`` it finds in a setting, in the
request's META (runserver copies the environment there) or in a frame's string variables, and
keeps the rest of the URL readable (scheme, user, host, port, path).

Django's names also hide by *API* and *AUTH*: ``GITHUB_API_URL`` showed as asterisks, so an
operator could not see which GitHub a failing worker had asked. A setting hidden only for those
two words is shown as a string with its URL passwords hidden; ``GITHUB_TOKEN``, keys, secrets and
passwords stay hidden whole.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

URL_CREDENTIALS = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]+@")
HIDDEN = "********"
# Shown with URL passwords hidden although Django's API/AUTH rule hides them whole: URL settings
# and Django's AUTH_* (a model name, a URL); never a name below (a request's Authorization header).
READABLE = re.compile(r"URL$|^AUTH_", flags=re.IGNORECASE)
ALWAYS_HIDDEN = re.compile(
    "TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE|AUTHORIZATION|CREDENTIAL", flags=re.IGNORECASE
)


def hide_url_passwords(text: str) -> str:
    """``text`` with the password of every URL in it replaced by asterisks."""
    return URL_CREDENTIALS.sub(rf"\g<head>:{HIDDEN}@", text)


class CredentialCleansingFilter(SafeExceptionReporterFilter):
    """Django's filter, plus URL passwords hidden wherever a string is shown."""

    def cleanse_setting(self, key: int | str, value: Any) -> Any:
        """Settings and request META: by name as Django does, then URL passwords in strings."""
        if (
            isinstance(key, str)
            and isinstance(value, str)
            and READABLE.search(key)
            and not ALWAYS_HIDDEN.search(key)
        ):
            return hide_url_passwords(value)  # GITHUB_API_URL: readable, its password hidden
        value = super().cleanse_setting(key, value)
        return hide_url_passwords(value) if isinstance(value, str) else value

    def cleanse_special_types(self, request: HttpRequest | None, value: Any) -> Any:
        """A frame's local variables: a URL held in a string shows without its password."""
        value = super().cleanse_special_types(request, value)
        return hide_url_passwords(value) if isinstance(value, str) else value


# What an e-mail says instead of a Host header that is not one of ALLOWED_HOSTS.
FORGED_HOST = "[a Host not in ALLOWED_HOSTS]"


def forged_host(request: HttpRequest | None) -> bool:
    """True when the request's raw Host is not one this site answers for (an attacker's text)."""
    if request is None:
        return False
    try:
        raw = request._get_raw_host()  # type: ignore[attr-defined]
    except Exception:  # no Host at all: nothing of the attacker's to repeat
        return False
    domain, _port = split_domain_port(raw)
    return not (domain and validate_host(domain, settings.ALLOWED_HOSTS))


class HostSafeExceptionReporter(ExceptionReporter):
    """Django's report whose "Request URL" never spells out a forged Host (a phishing link in
    the admins' inbox); the rest (the path, headers listed as data) stays."""

    def _get_raw_insecure_uri(self) -> str:
        if forged_host(self.request):
            return f"{FORGED_HOST}{self.request.get_full_path()}"  # type: ignore[union-attr]
        return super()._get_raw_insecure_uri()  # type: ignore[misc,no-any-return]
