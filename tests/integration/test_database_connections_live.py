"""A worker keeps its PostgreSQL connection between tasks, as CONN_MAX_AGE says.

Celery 5.7's Django fix-up closes every connection before and after each task unless
CELERY_DB_REUSE_MAX is set: without it each of the report's tasks opened a new connection
(15 to 20 ms here, bench/results.md). SQLite opens a connection per task by design (no server).
"""

import pytest

from tests.support.livetasks import database_session

pytestmark = pytest.mark.live


# Only a database server has connections worth keeping: a run on SQLite deselects it.
@pytest.mark.database("postgresql")
def test_a_worker_process_reuses_its_connection_across_tasks(single_slot_worker):
    """Three tasks in the one pool child run in one PostgreSQL session."""
    sessions = {single_slot_worker.wait(database_session.delay(), timeout=30) for _ in range(3)}
    assert len(sessions) == 1, sessions
