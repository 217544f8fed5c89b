"""A worker that sends a report's chord does not stay subscribed to the pages' results.

Celery subscribes whoever sends a group to each task's result channel (for a barrier that only a
waiting client uses). In a worker nobody reads them: on the Redis backend each page's result
piled up unread on the worker's pub/sub connection, report after report, until Redis dropped the
connection at its buffer limit (bench/results.md, the tail). The produce task cancels them.
"""

import re

import pytest

from celery_uncovered import celery_app
from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report

pytestmark = pytest.mark.live

FETCH_RECEIVED = re.compile(r"fetch_hot_repos\[([0-9a-f-]{36})\] received")


# Only the Redis result backend subscribes to results (pub/sub): another backend deselects it.
@pytest.mark.celery_live_backend("redis")
def test_no_worker_stays_subscribed_to_the_pages_it_fanned_out(threads_worker, github):
    """After two reports, no Redis client listens on any page's result channel."""
    for _ in range(2):
        threads_worker.wait(produce_hot_repo_report.delay("week", "2026-11-24"), timeout=60)
    page_ids = FETCH_RECEIVED.findall(threads_worker.process.log_text())
    assert len(page_ids) >= 10, page_ids
    backend = celery_app.backend
    channels = [backend.get_key_for_task(page_id) for page_id in page_ids]
    listeners = dict(backend.client.pubsub_numsub(*channels))
    assert set(listeners.values()) == {0}, {k: v for k, v in listeners.items() if v}
