"""Whether the database has the app's tables: a fresh VAR_DIR or database has none until migrate.

Without this, the first query of a new user's first command was a traceback ending in
``OperationalError: no such table: toyex_report`` (PostgreSQL: ``relation ... does not exist``).
Asked once per command, and once when a worker starts; not per request.
"""

from __future__ import annotations

import logging

from celery.signals import worker_ready
from django.db import DatabaseError, connection

from celery_uncovered.toyex.models import Report

NO_TABLES = "the database has no tables yet: run `python manage.py migrate`"
logger = logging.getLogger(__name__)


def missing_tables_reason() -> str:
    """'' when the report table exists; else one line for a person (no tables, or no database)."""
    try:
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot open the database ({first[:300]})"
    return "" if Report._meta.db_table in names else NO_TABLES


@worker_ready.connect
def _say_when_the_database_has_no_tables(**kwargs: object) -> None:
    """A worker on an unmigrated database would fail every report: say so once, at start."""
    reason = missing_tables_reason()
    connection.close()  # opened in the main process: a forked pool child must not share it
    if reason:
        logger.error("%s; every report will fail until then", reason)
