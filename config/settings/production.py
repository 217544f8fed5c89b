"""Production: every setting a deployment needs, from the environment; `check --deploy` clean.

What the README's "Run it in production" documents, and deploy/production.env.example lists:
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required; behind a TLS-terminating proxy,
DJANGO_SECURE_PROXY_SSL_HEADER names the header it sets (opt-in: trusting it without such a
proxy would let any client claim HTTPS); cookies are Secure and HSTS is on by default.
"""

from config.settingshelpers import (
    env,
    flag,
    host_names,
    logging_config,
    number,
    origins,
    proxy_ssl_header,
    required,
    text,
)

from .base import *  # noqa: F403

DEBUG = False
REPORT_ERROR_VIEW = False
LOGGING = logging_config("require_debug_false")


SECRET_KEY = required(
    "DJANGO_SECRET_KEY",
    "production needs a secret key of its own, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
ALLOWED_HOSTS = host_names(
    required("DJANGO_ALLOWED_HOSTS", "name the host(s) this site answers for, e.g. app.example.com")
)
# Origins a POST may come from besides this site's own (https://<Host>), e.g. a proxy that
# rewrites Host. Each with its scheme: https://app.example.com.
CSRF_TRUSTED_ORIGINS = origins(env.list("CSRF_TRUSTED_ORIGINS", default=[]))


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
