"""Facts about this project that several test modules need: where it lives, its database URL."""

import os
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# Variables of the test run that must not leak into a process that plays a new user.
RUN_VARIABLES = re.compile(
    r"(DJANGO_|CELERY_|TEST_|DATABASE_URL|MEDIA_ROOT|LOGS_DIR|VAR_DIR|GITHUB_)"
)


def new_user_env(**extra: str) -> dict[str, str]:
    """The environment of a person who just cloned the project: no test-run settings at all."""
    env = {k: v for k, v in os.environ.items() if not RUN_VARIABLES.match(k)}
    return {**env, **extra}


def database_url_for_worker() -> str:
    """The test database as a DATABASE_URL, for a ``manage.py`` child process of this project.

    Worker processes get the test database from the plugin (``celery_live_databases``); a
    management command run as a child reads ``DATABASE_URL`` like any deployment.
    """
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"].endswith("postgresql"):
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    raise NotImplementedError(f"no worker URL for database engine {db['ENGINE']}")
