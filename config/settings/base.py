"""Settings shared by every environment; what a deployment changes comes from the environment."""

import math
import os
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]
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


# Everything the app writes (database, reports, logs, the embedded broker) lives below this
# folder; celery_uncovered.directories makes it at start-up, so a fresh clone needs no set-up.
# In a checkout it is var/ beside manage.py; an installed wheel writes to ./var of the current
# folder rather than inside site-packages.
IN_CHECKOUT = (BASE_DIR / "manage.py").is_file()
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var" if IN_CHECKOUT else Path.cwd() / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-never-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "testserver"])

INSTALLED_APPS = [
    # First: its runserver (starts with the database down) replaces staticfiles' own.
    "celery_uncovered.devservers",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_results",
    "celery_uncovered.toyex",
    "celery_uncovered.tricks",
    "celery_uncovered.advex",
]

MIDDLEWARE = [
    # Outside SecurityMiddleware: its HTTPS redirect of a request a TLS proxy forwarded, logged
    # once with the setting that is missing (a redirect loop otherwise names no cause).
    "celery_uncovered.proxycheck.ProxyHeaderCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # No page or answer of this site may be framed by another (clickjacking): DENY, and CSP below.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "celery_uncovered.middleware.ContentSecurityPolicyMiddleware",
    # Outside everything that can refuse a request (CSRF, CommonMiddleware, the views).
    "celery_uncovered.middleware.JsonErrorsMiddleware",
    # A query or form body Django cannot read is a 400 here, before anything (or any error
    # view) reads it: a non-UTF-8 form charset used to crash Django's error handling itself.
    "celery_uncovered.middleware.RequestDataMiddleware",
    # A view that met an unreachable database: 503 "the database is unavailable", one log line.
    "celery_uncovered.databasedown.DatabaseDownMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A wrong method is a 405 with Allow, not a CSRF refusal: its process_view runs first.
    "celery_uncovered.middleware.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

X_FRAME_OPTIONS = "DENY"
# Framing and plugins only: the report page's inline <script> and <style> stay allowed.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default="frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'",
)
# Routes that answer JSON, errors included (celery_uncovered/middleware.py); the HTML pages among
# them are HTML on GET.
JSON_ROUTE_PREFIXES = ["/reports/", "/scenario/"]
HTML_PAGES = ["/reports/"]
# Routes that answer a browser (Accept ranks text/html first) with pages, errors included; the
# same URLs keep answering JSON to scripts (celery_uncovered/negotiation.py).
HTML_FOR_BROWSERS = ["/reports/"]
# Error reports (DEBUG page, admin e-mails) hide the passwords inside URL settings too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "celery_uncovered.errorreports.CredentialCleansingFilter"

ROOT_URLCONF = "config.urls"
# A CSRF refusal says what it refused: the token, the Origin or the Referer.
CSRF_FAILURE_VIEW = "celery_uncovered.csrf.csrf_failure"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
# Django's handler, its request fixed for a charset beside a query flood (celery_uncovered/wsgi.py).
WSGI_APPLICATION = "celery_uncovered.wsgi.application"


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


DATABASES = {"default": database(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("ja", "日本語")]
TIME_ZONE = text("TIME_ZONE", "UTC")
try:  # Django's own check is a ValueError (a traceback) naming no variable
    zoneinfo.ZoneInfo(TIME_ZONE)
except (ValueError, zoneinfo.ZoneInfoNotFoundError):
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE[:40]!r} is not a time zone name (e.g. UTC or Europe/Berlin)"
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
LOGS_DIR = Path(env("LOGS_DIR", default=str(VAR_DIR / "logs")))
# Report CSVs are written with this mode (not the temporary file's 0600), so a web server running
# as another user can serve them.
REPORT_FILE_MODE = env.int("REPORT_FILE_MODE", default=0o644)

# --- GitHub (scenario 1) -------------------------------------------------------------------------
GITHUB_API_URL = env("GITHUB_API_URL", default="https://api.github.com").rstrip("/")
GITHUB_TOKEN = env("GITHUB_TOKEN", default="")

# --- E-mail (scenario 2) -------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = number("EMAIL_PORT", 1025, cast=int, minimum=1)
EMAIL_TIMEOUT = number("EMAIL_TIMEOUT", 10, cast=int, positive=True)
SERVER_EMAIL = env("SERVER_EMAIL", default="celery-uncovered@localhost")
ADMINS = [tuple(a.split(":", 1)) for a in env.list("ADMINS", default=["Admin:admin@localhost"])]

# --- Celery --------------------------------------------------------------------------------------
# An embedded broker needs no running service: kombu's filesystem transport in var/broker.
CELERY_BROKER_URL = text("CELERY_BROKER_URL", "filesystem://localhost/")
BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))


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


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL, BROKER_DIR)


def broker_transport(url: str) -> str | None:
    """Our fixed variants of two kombu transports: celery_uncovered/transports/."""
    if url.startswith("filesystem"):
        return "celery_uncovered.transports.filesystem:Transport"
    if url.startswith("redis://"):
        return "celery_uncovered.transports.redis:Transport"
    return None


CELERY_BROKER_TRANSPORT = broker_transport(CELERY_BROKER_URL)
# django-celery-results stores results in our own database (chords included, via ChordCounter).
CELERY_RESULT_BACKEND = text("CELERY_RESULT_BACKEND", "django-db")
# Keep task name, args and worker with each result: the status page reads them back.
CELERY_RESULT_EXTENDED = True
# JSON only: a pickled message is refused rather than executed.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
# Beat's crontab follows the project's clock, not UTC.
CELERY_TIMEZONE = TIME_ZONE
# Each run of the test suite uses its own queue; a deployment may name its own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# RabbitMQ quorum queues (replicated over a cluster's nodes) instead of classic ones: a node lost
# leaves the queue and its messages on the others. Celery 5.7 needs, besides the queue type: a
# topic exchange (its native delayed delivery routes a countdown through the celery_delayed_*
# topic exchanges; a direct exchange makes it warn and fall back to holding the message in the
# worker), the same type for the queues it makes on the fly (a -Q name, a test's own queue), and
# no global QoS (quorum queues do not support it; the worker detects them and sets a per-consumer
# prefetch).
CELERY_QUEUE_TYPE = env("CELERY_QUEUE_TYPE", default="classic")
if CELERY_QUEUE_TYPE not in ("classic", "quorum"):
    raise ImproperlyConfigured(f"CELERY_QUEUE_TYPE={CELERY_QUEUE_TYPE!r}: classic or quorum")
CELERY_TASK_DEFAULT_QUEUE_TYPE = CELERY_TASK_CREATE_MISSING_QUEUE_TYPE = CELERY_QUEUE_TYPE
if CELERY_QUEUE_TYPE == "quorum":
    CELERY_TASK_DEFAULT_EXCHANGE_TYPE = "topic"
    CELERY_TASK_CREATE_MISSING_QUEUE_EXCHANGE_TYPE = "topic"
    # countdowns and ETAs go to RabbitMQ (celery_delayed_* queues), not the worker's memory
    CELERY_BROKER_NATIVE_DELAYED_DELIVERY_QUEUE_TYPE = "quorum"
    CELERY_WORKER_DETECT_QUORUM_QUEUES = True  # per-consumer prefetch: no global QoS
# Celery 5.7's Django fix-up closes every database connection before and after each task, so
# CONN_MAX_AGE did nothing in a worker: each task of the report opened a new PostgreSQL
# connection. With this it closes them once in this many tasks only, and the worker applies
# Django's own rule at each task instead, as a request does (CONN_MAX_AGE, CONN_HEALTH_CHECKS;
# celery_uncovered/celery.py). SQLite keeps CONN_MAX_AGE 0: a connection per task, as before.
CELERY_DB_REUSE_MAX = number("CELERY_DB_REUSE_MAX", 1000, cast=int, positive=True)
# STARTED lets the status page tell "queued" from "running".
CELERY_TASK_TRACK_STARTED = True
# The worker applies our LOGGING instead of replacing the root logger's handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Take one message at a time per slot so a long fetch does not hold others hostage.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# After a reconnect, Celery 5.7 lowers the prefetch count and raises it again from each ack. With
# the threads pool those acks run in pool threads, which then call basic.qos on the consumer's own
# AMQP connection while the main thread does too: the worker deadlocks for good (seen in
# the fault tier's broker-outage test, stacks read with py-spy). Our prefetch is 1 per slot anyway.
CELERY_WORKER_ENABLE_PREFETCH_COUNT_REDUCTION = False
# A task sent from inside a worker (a retry, the chord's body) rides out a broker restart of up to
# about a minute instead of failing the report. The web and the CLI pass a short policy of their
# own (toyex/queueing.py): a person should hear "try again" in seconds, not wait a minute.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": number("CELERY_PUBLISH_MAX_RETRIES", 20, cast=int),
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 3,
}
# A result the backend refuses for a moment (Redis restarting, PostgreSQL failing over) is stored
# again, up to this many times with backoff, instead of being lost with its acknowledged message
# ("Exception raised outside body"): at the defaults about 5 s in all. Past the bound the report
# is failed with a notice (toyex/stuck.py, where the database still answers; else the check below).
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = number("CELERY_RESULT_BACKEND_MAX_RETRIES", 5, cast=int)
CELERY_RESULT_BACKEND_BASE_SLEEP_BETWEEN_RETRIES_MS = number(
    "CELERY_RESULT_BACKEND_RETRY_BASE_MS", 200, cast=int
)
CELERY_RESULT_BACKEND_MAX_SLEEP_BETWEEN_RETRIES_MS = number(
    "CELERY_RESULT_BACKEND_RETRY_CAP_MS", 2000, cast=int
)
# The stuck-report check (toyex/stuck.py), run by beat every REPORT_CHECK_EVERY seconds: a report
# "running" with every page done and no CSV for REPORT_BUILD_GRACE seconds, or that moved for
# none of REPORT_STALL_AFTER seconds, is failed with a notice, and its slot is free again.
REPORT_CHECK_EVERY = number("REPORT_CHECK_EVERY", 60.0, positive=True)
REPORT_BUILD_GRACE = number("REPORT_BUILD_GRACE", 120.0, positive=True)
REPORT_STALL_AFTER = number("REPORT_STALL_AFTER", 1800.0, positive=True)
CELERY_BEAT_SCHEDULE = {
    "produce-csv-reports": {
        "task": "celery_uncovered.toyex.tasks.produce_hot_repo_report",
        "schedule": crontab(minute=0, hour=0),
        "args": ("today",),
    },
    "fail-stuck-reports": {
        "task": "celery_uncovered.toyex.tasks.fail_stuck_reports",
        "schedule": REPORT_CHECK_EVERY,
    },
}
# Beat's own state (when each entry last ran): under VAR_DIR, not celerybeat-schedule.* in
# whatever folder beat was started from; celery_uncovered.directories makes its folder.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "beat" / "celerybeat-schedule")

# /report-error exists when DEBUG is on, or when this says so (the tests' settings).
REPORT_ERROR_VIEW = env.bool("REPORT_ERROR_VIEW", default=False)
# Admin e-mails: retries on SMTP trouble, MAIL_RETRY_BASE doubling to MAIL_RETRY_CAP seconds.
MAIL_MAX_RETRIES = number("MAIL_MAX_RETRIES", 10, cast=int)
MAIL_RETRY_BASE = number("MAIL_RETRY_BASE", 2.0)
MAIL_RETRY_CAP = number("MAIL_RETRY_CAP", 300.0)
# A failing request waits at most this long for the broker before mailing synchronously.
MAIL_BROKER_CONNECT_TIMEOUT = number("MAIL_BROKER_CONNECT_TIMEOUT", 1.0, positive=True)
# After the broker failed, mail synchronously for this long without trying it again.
MAIL_BROKER_DOWN_MEMORY = number("MAIL_BROKER_DOWN_MEMORY", 10.0)
# An e-mail task's claim not marked sent within this long belongs to a sender that died: the next
# copy takes it over. Longer than any send (EMAIL_TIMEOUT per SMTP step), or a slow send goes twice.
MAIL_CLAIM_STALE_SECONDS = number("MAIL_CLAIM_STALE_SECONDS", 120.0, positive=True)
# Identical errors within this many seconds make one e-mail and a count (0: every error mails);
# anyone can make the server log errors, so an unthrottled handler is a mail cannon.
ERROR_MAIL_WINDOW = number("ERROR_MAIL_WINDOW", 60.0)


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
                "class": "celery_uncovered.toyex.mail.CeleryHandler",
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


LOGGING = logging_config("require_debug_false")

# --- GitHub retry policy (scenario 1) ------------------------------------------------------------
# Retries of one page: rate limits wait as long as GitHub says, up to GITHUB_MAX_WAIT; 5xx and
# network errors back off exponentially from GITHUB_BACKOFF_BASE, capped at GITHUB_BACKOFF_CAP.
GITHUB_MAX_RETRIES = number("GITHUB_MAX_RETRIES", 5, cast=int)
GITHUB_MAX_WAIT = number("GITHUB_MAX_WAIT", 300.0)
GITHUB_BACKOFF_BASE = number("GITHUB_BACKOFF_BASE", 2.0)
GITHUB_BACKOFF_CAP = number("GITHUB_BACKOFF_CAP", 60.0)
# A page that does not arrive within the read timeout is retried like a 5xx. The fetch's hard time
# limit kills a stuck request; the soft one (two thirds of it) must exceed connect + read.
GITHUB_CONNECT_TIMEOUT = number("GITHUB_CONNECT_TIMEOUT", 5.0, positive=True)
GITHUB_READ_TIMEOUT = number("GITHUB_READ_TIMEOUT", 30.0, positive=True)
GITHUB_FETCH_TIME_LIMIT = number("GITHUB_FETCH_TIME_LIMIT", 90.0, positive=True)

# A queued or running report that has not moved for this long has lost its message: a new request
# for its period and day fails it and starts another (toyex/reportclaim.py). Longer than any wait.
REPORT_CLAIM_STALE_SECONDS = number("REPORT_CLAIM_STALE_SECONDS", 3600.0, positive=True)
# At most this many reports queued or running at once (each costs five GitHub searches of one
# token's quota); one more request gets 429 and queues nothing.
REPORT_MAX_ACTIVE = number("REPORT_MAX_ACTIVE", 20, cast=int, positive=True)
# ... of which one web client (one address; an IPv6 /64) may have this many: one client cannot
# fill the cap for everybody. The CLI and beat are the operator's and count only in the total.
REPORT_MAX_ACTIVE_PER_CLIENT = number("REPORT_MAX_ACTIVE_PER_CLIENT", 5, cast=int, positive=True)
# How many proxies of the deployment's own append to X-Forwarded-For in front of the web
# server: the client is that many addresses from the right (celery_uncovered/clients.py). 0 (no
# proxy): the TCP peer. Too high, and a client picks its own address by writing the header.
CLIENT_PROXY_HOPS = number("CLIENT_PROXY_HOPS", 0, cast=int)
# A report that has not moved for this long makes its status ask whether any worker consumes its
# queue; the workers get WORKER_CHECK_TIMEOUT to answer; a process reuses the answer this long.
REPORT_STALL_SECONDS = number("REPORT_STALL_SECONDS", 3.0)
WORKER_CHECK_TIMEOUT = number("WORKER_CHECK_TIMEOUT", 1.0, positive=True)
WORKER_CHECK_INTERVAL = number("WORKER_CHECK_INTERVAL", 5.0)


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


check_visibility_timeout(CELERY_BROKER_TRANSPORT_OPTIONS, longest_hold(globals()))
