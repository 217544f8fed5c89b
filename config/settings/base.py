"""Settings shared by every environment; what a deployment changes comes from the environment."""

from pathlib import Path

from celery.schedules import crontab

from config.settingshelpers import (
    broker_transport,
    broker_transport_options,
    check_visibility_timeout,
    database,
    env,
    logging_config,
    longest_hold,
    number,
    queue_type,
    text,
    time_zone,
)

BASE_DIR = Path(__file__).resolve().parents[2]

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
    "celery_uncovered.web.proxycheck.ProxyHeaderCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # No page or answer of this site may be framed by another (clickjacking): DENY, and CSP below.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "celery_uncovered.web.middleware.ContentSecurityPolicyMiddleware",
    # Outside everything that can refuse a request (CSRF, CommonMiddleware, the views).
    "celery_uncovered.web.middleware.JsonErrorsMiddleware",
    # A query or form body Django cannot read is a 400 here, before anything (or any error
    # view) reads it: a non-UTF-8 form charset used to crash Django's error handling itself.
    "celery_uncovered.web.middleware.RequestDataMiddleware",
    # A view that met an unreachable database: 503 "the database is unavailable", one log line.
    "celery_uncovered.web.databasedown.DatabaseDownMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A wrong method is a 405 with Allow, not a CSRF refusal: its process_view runs first.
    "celery_uncovered.web.middleware.AllowedMethodsMiddleware",
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
# Routes that answer JSON, errors included (celery_uncovered/web/middleware.py); the HTML
# pages among them are HTML on GET.
JSON_ROUTE_PREFIXES = ["/reports/", "/scenario/"]
HTML_PAGES = ["/reports/"]
# Routes that answer a browser (Accept ranks text/html first) with pages, errors included; the
# same URLs keep answering JSON to scripts (celery_uncovered/web/negotiation.py).
HTML_FOR_BROWSERS = ["/reports/"]
# Error reports (DEBUG page, admin e-mails) hide the passwords inside URL settings too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "celery_uncovered.web.errorreports.CredentialCleansingFilter"

ROOT_URLCONF = "config.urls"
# A CSRF refusal says what it refused: the token, the Origin or the Referer.
CSRF_FAILURE_VIEW = "celery_uncovered.web.csrf.csrf_failure"
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


DATABASES = {"default": database(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("ja", "日本語")]
TIME_ZONE = time_zone(text("TIME_ZONE", "UTC"))
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


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL, BROKER_DIR)


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
CELERY_QUEUE_TYPE = queue_type(env("CELERY_QUEUE_TYPE", default="classic"))
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
# own (toyex/hotrepos/queueing.py): a person should hear "try again" in seconds, not wait a minute.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": number("CELERY_PUBLISH_MAX_RETRIES", 20, cast=int),
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 3,
}
# A result the backend refuses for a moment (Redis restarting, PostgreSQL failing over) is stored
# again, up to this many times with backoff, instead of being lost with its acknowledged message
# ("Exception raised outside body"): at the defaults about 5 s in all. Past the bound the report
# is failed with a notice (advex/stuckreports.py, where the database still answers; else the
# check below).
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = number("CELERY_RESULT_BACKEND_MAX_RETRIES", 5, cast=int)
CELERY_RESULT_BACKEND_BASE_SLEEP_BETWEEN_RETRIES_MS = number(
    "CELERY_RESULT_BACKEND_RETRY_BASE_MS", 200, cast=int
)
CELERY_RESULT_BACKEND_MAX_SLEEP_BETWEEN_RETRIES_MS = number(
    "CELERY_RESULT_BACKEND_RETRY_CAP_MS", 2000, cast=int
)
# The stuck-report check (advex/stuckreports.py), run by beat every REPORT_CHECK_EVERY seconds: a
# report "running" with every page done and no CSV for REPORT_BUILD_GRACE seconds, or that moved
# for none of REPORT_STALL_AFTER seconds, is failed with a notice, and its slot is free again.
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
# for its period and day fails it and starts another (advex/reportclaims.py). Longer than any wait.
REPORT_CLAIM_STALE_SECONDS = number("REPORT_CLAIM_STALE_SECONDS", 3600.0, positive=True)
# At most this many reports queued or running at once (each costs five GitHub searches of one
# token's quota); one more request gets 429 and queues nothing.
REPORT_MAX_ACTIVE = number("REPORT_MAX_ACTIVE", 20, cast=int, positive=True)
# ... of which one web client (one address; an IPv6 /64) may have this many: one client cannot
# fill the cap for everybody. The CLI and beat are the operator's and count only in the total.
REPORT_MAX_ACTIVE_PER_CLIENT = number("REPORT_MAX_ACTIVE_PER_CLIENT", 5, cast=int, positive=True)
# The patterns past the tutorial (advex) the scenarios run with, each the module that answers for
# it: one report per period and day, the active-report caps, an e-mail task sent once, the flood
# limit of identical error e-mails. Named here so that toyex never imports advex (docs/layout.md).
REPORT_CLAIMS = "celery_uncovered.advex.reportclaims"
REPORT_CAPS = "celery_uncovered.advex.reportcaps"
MAIL_TASK_CLAIMS = "celery_uncovered.advex.mailclaims"
ERROR_MAIL_THROTTLE = "celery_uncovered.advex.mailthrottle"
# How many proxies of the deployment's own append to X-Forwarded-For in front of the web
# server: the client is that many addresses from the right (celery_uncovered/web/clients.py). 0 (no
# proxy): the TCP peer. Too high, and a client picks its own address by writing the header.
CLIENT_PROXY_HOPS = number("CLIENT_PROXY_HOPS", 0, cast=int)
# A report that has not moved for this long makes its status ask whether any worker consumes its
# queue; the workers get WORKER_CHECK_TIMEOUT to answer; a process reuses the answer this long.
REPORT_STALL_SECONDS = number("REPORT_STALL_SECONDS", 3.0)
WORKER_CHECK_TIMEOUT = number("WORKER_CHECK_TIMEOUT", 1.0, positive=True)
WORKER_CHECK_INTERVAL = number("WORKER_CHECK_INTERVAL", 5.0)


check_visibility_timeout(CELERY_BROKER_TRANSPORT_OPTIONS, longest_hold(globals()))
