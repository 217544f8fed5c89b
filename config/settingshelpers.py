"""Functions the settings modules compute their values with; the settings only declare values.

Each reads the environment or checks a value, and names the variable in one line when it is
wrong (a traceback from deep inside Django or django-environ names none).
"""

import math
import os
import re
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def text(name: str, default: str) -> str:
    """A string setting; an empty value (``NAME=`` in a shell or a .env file) means unset."""
    return os.environ.get(name, "").strip() or default


def number(
    name: str,
    default: float,
    *,
    cast: Callable[[str], float] = float,
    minimum: float = 0,
    positive: bool = False,
) -> Any:  # an int or a float, as ``cast`` makes it
    """A numeric setting whose error names the variable and its value (not django-environ's
    ``could not convert string to float: ''``), refusing values below ``minimum`` (or 0 when
    ``positive``): a negative wait or window would be obeyed silently. Empty means unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    kind = "a whole number" if cast is int else "a number"
    try:
        value = cast(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw[:40]!r} is not {kind}") from None
    if math.isnan(value) or math.isinf(value):
        raise ImproperlyConfigured(f"{name}={raw[:40]!r} is not {kind}")
    if positive and value <= 0:
        raise ImproperlyConfigured(f"{name}={raw[:40]!r} must be more than 0")
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw[:40]!r} must be {minimum:g} or more")
    return value


def database(default_path: Path) -> dict[str, Any]:
    """DATABASE_URL, or an SQLite file tuned for many concurrent writers."""
    db: dict[str, Any] = env.db("DATABASE_URL", default=f"sqlite:///{default_path}")
    if db["ENGINE"].endswith("sqlite3"):
        # The django-db result backend writes from every worker thread and process at once.
        # SQLite's defaults (deferred transactions, rollback journal, 5 s busy timeout) answer that
        # with "database is locked" in the middle of a chord; WAL plus IMMEDIATE transactions make
        # writers queue on the busy timeout instead of failing.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        # A worker runs thousands of short tasks: a new PostgreSQL connection per task costs
        # 15-20 ms on this machine (bench/results.md). CONN_MAX_AGE keeps it a minute; a
        # connection PostgreSQL or a proxy dropped meanwhile would fail the next task, so
        # CONN_HEALTH_CHECKS pings it before the first query of each task and reconnects
        # instead. In a worker both hold only with CELERY_DB_REUSE_MAX below: without it,
        # Celery's Django fix-up closes every connection before and after each task.
        db["CONN_MAX_AGE"] = number("DB_CONN_MAX_AGE", 60, cast=int)
        db["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=True)
    return db


def broker_transport_options(url: str, broker_dir: Path) -> dict[str, Any]:
    """Transport options that make each broker behave as this project needs."""
    if url.startswith("filesystem"):
        return {
            "data_folder_in": str(broker_dir / "queue"),
            "data_folder_out": str(broker_dir / "queue"),
            "control_folder": str(broker_dir / "control"),
            # kombu's virtual transports poll once a second by default: up to 2 s a round trip.
            "polling_interval": 0.02,
        }
    if url.startswith("redis"):
        # Redis has no acknowledgements: a message a worker took waits in an "unacked" hash and is
        # handed out again once it is older than visibility_timeout. That is how a killed worker's
        # pages come back (kombu 5.7 checks every unacked_restore_interval seconds; throttle 1
        # makes that interval the only knob). It is also why a message held longer than the
        # timeout (a countdown, a long run) is delivered twice: check_visibility_timeout below.
        return {
            "visibility_timeout": number("CELERY_VISIBILITY_TIMEOUT", 600, cast=int, positive=True),
            "unacked_restore_interval": number(
                "CELERY_UNACKED_RESTORE_INTERVAL", 10, cast=int, positive=True
            ),
            "unacked_restore_throttle": 1,
        }
    return {}


def check_visibility_timeout(options: dict[str, Any], longest_hold: float) -> None:
    """Refuse a Redis visibility timeout that a countdown or a task run could outlast."""
    timeout = options.get("visibility_timeout")
    if timeout is not None and timeout <= longest_hold:
        raise ImproperlyConfigured(
            f"CELERY_VISIBILITY_TIMEOUT={timeout}s is not longer than the longest time a worker "
            f"holds a message ({longest_hold:.0f}s: GITHUB_MAX_WAIT, GITHUB_BACKOFF_CAP, "
            "MAIL_RETRY_CAP, GITHUB_FETCH_TIME_LIMIT or ERROR_MAIL_WINDOW); Redis would deliver "
            "it twice"
        )


def broker_transport(url: str) -> str | None:
    """Our fixed variants of two kombu transports: celery_uncovered/transports/."""
    if url.startswith("filesystem"):
        return "celery_uncovered.transports.filesystem:Transport"
    if url.startswith("redis://"):
        return "celery_uncovered.transports.redis:Transport"
    return None


def logging_config(mail_filter: str) -> dict[str, Any]:
    """LOGGING with 500-error e-mails through Celery, gated by ``mail_filter``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
            "require_debug_true": {"()": "django.utils.log.RequireDebugTrue"},
            # A failed chord: one WARNING line, not a second traceback (tricks/logs.py).
            "chord_failure": {"()": "celery_uncovered.tricks.logs.ChordFailureWithoutTraceback"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["chord_failure"],
            },
            "mail_admins": {
                "level": "ERROR",
                "filters": [mail_filter],
                "class": "celery_uncovered.toyex.errormail.mail.CeleryHandler",
            },
        },
        "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
        "loggers": {
            "django": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
            # Refused requests (a failed Origin check, a forged Host) are WARNINGs of Django's
            # own: logged to the console (not mailed: mail_admins takes ERROR and up), where
            # the "django" logger's ERROR level hid them.
            "django.security": {"level": "WARNING", "propagate": True},
            # runserver's access log: its "GET /x" 500 line would otherwise propagate to the
            # django logger's mail_admins and mail each error a second time (dictConfig resets a
            # configured logger's children to propagate=True); django.request already mails it.
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def longest_hold(values: dict[str, Any]) -> float:
    """How long a worker may hold a message (a wait, a countdown, a run), from a settings module.

    Each settings module checks its own values: test.py shortens some, so the check runs there too.
    """
    return float(
        max(
            values["GITHUB_MAX_WAIT"],
            values["GITHUB_BACKOFF_CAP"],
            values["MAIL_RETRY_CAP"],
            values["GITHUB_FETCH_TIME_LIMIT"],
            values["ERROR_MAIL_WINDOW"] + 1,  # the summary's countdown: to the window's end + 1 s
        )
    )


def required(name: str, why: str) -> str:
    """A setting production cannot guess: one line naming it when it is missing."""
    value = text(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {why}")
    return value


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


def time_zone(name: str) -> str:
    """A time zone name, else one line naming TIME_ZONE (Django's own check is a traceback)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ImproperlyConfigured(
            f"TIME_ZONE={name[:40]!r} is not a time zone name (e.g. UTC or Europe/Berlin)"
        ) from None
    return name


def queue_type(name: str) -> str:
    """RabbitMQ's queue type, classic or quorum; anything else refused in one line."""
    if name not in ("classic", "quorum"):
        raise ImproperlyConfigured(f"CELERY_QUEUE_TYPE={name!r}: classic or quorum")
    return name


def host_names(raw: str) -> list[str]:
    """DJANGO_ALLOWED_HOSTS as a list; a URL in it is refused in one line."""
    hosts = [host.strip() for host in raw.split(",") if host.strip()]
    for host in hosts:
        # "https://app.example.com" matches no Host header: every request was a 400 DisallowedHost.
        if "/" in host:
            raise ImproperlyConfigured(
                f"DJANGO_ALLOWED_HOSTS: {host[:60]!r} is a URL, not a host: write app.example.com"
            )
    return hosts


def origins(values: list[str]) -> list[str]:
    """CSRF_TRUSTED_ORIGINS as given; an origin without its scheme is refused in one line."""
    for origin in values:
        if "://" not in origin:
            raise ImproperlyConfigured(
                f"CSRF_TRUSTED_ORIGINS: {origin[:60]!r} needs its scheme, e.g. https://{origin[:60]}"
            )
    return values
