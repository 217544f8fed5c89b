"""Production: every setting a deployment needs, from the environment; `check --deploy` clean.

What the README's "Run it in production" documents, and deploy/production.env.example lists:
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required; behind a TLS-terminating proxy,
DJANGO_SECURE_PROXY_SSL_HEADER names the header it sets (opt-in: trusting it without such a
proxy would let any client claim HTTPS); cookies are Secure and HSTS is on by default.
"""

import re

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, logging_config, number, text

DEBUG = False
REPORT_ERROR_VIEW = False
LOGGING = logging_config("require_debug_false")


def required(name: str, why: str) -> str:
    """A setting production cannot guess: one line naming it when it is missing."""
    value = text(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {why}")
    return value


SECRET_KEY = required(
    "DJANGO_SECRET_KEY",
    "production needs a secret key of its own, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
ALLOWED_HOSTS = [
    host.strip()
    for host in required(
        "DJANGO_ALLOWED_HOSTS", "name the host(s) this site answers for, e.g. app.example.com"
    ).split(",")
    if host.strip()
]
for host in ALLOWED_HOSTS:
    # "https://app.example.com" matches no Host header: every request was a 400 DisallowedHost.
    if "/" in host:
        raise ImproperlyConfigured(
            f"DJANGO_ALLOWED_HOSTS: {host[:60]!r} is a URL, not a host: write app.example.com"
        )
# Origins a POST may come from besides this site's own (https://<Host>), e.g. a proxy that
# rewrites Host. Each with its scheme: https://app.example.com.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
for origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in origin:
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS: {origin[:60]!r} needs its scheme, e.g. https://{origin[:60]}"
        )


HEADER_NAME = re.compile(r"[A-Za-z0-9_-]+")
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def flag(name: str, default: bool) -> bool:
    """A yes/no setting; anything else is refused (django-environ read "ture" as False: a
    typo turned Secure cookies or the HTTPS redirect off without a word). Empty means unset."""
    raw = text(name, "").lower()
    if not raw:
        return default
    if raw not in TRUE | FALSE:
        raise ImproperlyConfigured(f"{name}={raw[:40]!r} is not true or false")
    return raw in TRUE


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` -> ("HTTP_X_FORWARDED_PROTO", "https"); "" -> None (not behind one).

    Behind a proxy that ends TLS, Django sees plain HTTP: without this every HTTPS POST failed
    the Origin check (https://... is not http://...) and every request was redirected to HTTPS.
    """
    name = name.strip()
    if not name:
        return None
    if not HEADER_NAME.fullmatch(name):
        # "X-Forwarded-Proto: https" named a header no request has: Django never saw HTTPS and
        # redirected every request to HTTPS, for ever.
        raise ImproperlyConfigured(
            f"DJANGO_SECURE_PROXY_SSL_HEADER={name[:60]!r} is not a header name: write "
            "X-Forwarded-Proto (its value must be https)"
        )
    meta = name.upper().replace("-", "_")
    return (meta if meta.startswith("HTTP_") else f"HTTP_{meta}", "https")


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(text("DJANGO_SECURE_PROXY_SSL_HEADER", ""))
SECURE_SSL_REDIRECT = flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
# A load balancer's health check over plain HTTP is not redirected (a path regex, no slash).
SECURE_REDIRECT_EXEMPT = env.list("DJANGO_SECURE_REDIRECT_EXEMPT", default=[])
SESSION_COOKIE_SECURE = flag("DJANGO_SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = flag("DJANGO_CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = number("DJANGO_SECURE_HSTS_SECONDS", 31_536_000, cast=int)
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading puts the domain on the browsers' own list: a choice an operator makes (README).
SECURE_HSTS_PRELOAD = flag("DJANGO_SECURE_HSTS_PRELOAD", default=False)
