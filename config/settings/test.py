"""Settings for the test suite: broker and backend picked by CELERY_LIVE_BROKER / _BACKEND.

The celery_live plugin (pytest_celery_live) turns its choice (``--celery-live-broker`` or the
environment) into ``CELERY_BROKER_URL`` / ``CELERY_RESULT_BACKEND`` before these settings load;
read here, they decide the transport class and options to match. Without a choice: RabbitMQ and
Redis, as a developer's machine runs them.

Each run gets its own id, queue and files, so two runs on one machine never see each other's
messages; the subprocess worker inherits the run id through the environment. The benchmark
(bench/) runs on these settings too: it needs what the live tests need and changes nothing.
"""

import uuid
from pathlib import Path

from pytest_celery_live import selection

from config.settingshelpers import (
    broker_transport,
    broker_transport_options,
    check_visibility_timeout,
    database,
    env,
    longest_hold,
    number,
)

from .base import *  # noqa: F403
from .base import VAR_DIR

TEST_RUN_ID = env("TEST_RUN_ID", default=uuid.uuid4().hex[:10])
TEST_VAR_DIR = VAR_DIR / "test-runs" / TEST_RUN_ID  # made at start-up with the others

# Names or URLs; Redis names mean databases 14 and 15 (the demo and a developer's worker use 0).
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=selection.broker_url(env("CELERY_LIVE_BROKER", default="rabbitmq"))
)
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    default=selection.backend_url(env("CELERY_LIVE_BACKEND", default="redis")),
)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default=f"cu-test-{TEST_RUN_ID}")
BROKER_DIR = TEST_VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL, BROKER_DIR)
CELERY_BROKER_TRANSPORT = broker_transport(CELERY_BROKER_URL)

# A file, not :memory:, so a worker process can open the very database the tests use.
DATABASES = {"default": database(TEST_VAR_DIR / "db.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_VAR_DIR / "test-db.sqlite3")}
else:
    # PostgreSQL (DATABASE_URL): a test database per run, so two runs on one server never meet;
    # worker processes get its name from the conftest (database_url_for_worker).
    DATABASES["default"]["TEST"] = {"NAME": f"test_celery_uncovered_{TEST_RUN_ID}"}

MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(TEST_VAR_DIR / "media")))
LOGS_DIR = TEST_VAR_DIR / "logs"
CELERY_BEAT_SCHEDULE_FILENAME = str(TEST_VAR_DIR / "beat" / "celerybeat-schedule")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# Backoff in tenths of a second, so fault tests wait out real retries without slowing the suite.
GITHUB_BACKOFF_BASE = number("GITHUB_BACKOFF_BASE", 0.2)

# The beat test runs a real `celery beat` with an entry due every second instead of at midnight.
if env.bool("TEST_BEAT_EVERY_SECOND", default=False):
    CELERY_BEAT_SCHEDULE = {
        "test-add-every-second": {
            "task": "celery_uncovered.tricks.tasks.add",
            "schedule": 1.0,
            "args": (7, 8),
        },
    }
# The two-beats test: the production entry (produce 'today'), due every second.
if env.bool("TEST_BEAT_PRODUCE_EVERY_SECOND", default=False):
    CELERY_BEAT_SCHEDULE = {
        "produce-csv-reports": {
            "task": "celery_uncovered.toyex.tasks.produce_hot_repo_report",
            "schedule": 1.0,
            "args": ("today",),
        },
    }

REPORT_ERROR_VIEW = True
MAIL_RETRY_BASE = number("MAIL_RETRY_BASE", 0.5)
MAIL_RETRY_CAP = number("MAIL_RETRY_CAP", 2.0)
# Past EMAIL_TIMEOUT (10 s): a test waits out a dead sender's claim in seconds, not minutes.
MAIL_CLAIM_STALE_SECONDS = number("MAIL_CLAIM_STALE_SECONDS", 15.0, positive=True)
# Off unless a test turns it on: the outage tests count one e-mail per identical error.
ERROR_MAIL_WINDOW = number("ERROR_MAIL_WINDOW", 0.0)

check_visibility_timeout(CELERY_BROKER_TRANSPORT_OPTIONS, longest_hold(globals()))
