"""The active-report cap under parallel POSTs on the run's real database (issue 25, item 2).

Ten requests for one new day arrive together while the cap is full. Before the fix the row was
inserted first and the cap counted after: losers read the winner's row before it was deleted and
answered ``202 existing`` with a status URL that was already a 404. No broker is needed: nothing
may be queued, and sending is recorded instead.
"""

import threading
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.hotrepos.dates import strf_date
from celery_uncovered.toyex.models import Report

PARALLEL = 10


def post_together(bodies: list[dict[str, str]], addresses: list[str] | None = None) -> list:
    """POST every body at once from its own thread (own connection); the answers in order."""
    start = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def post(i: int) -> None:
        try:
            start.wait()
            remote = addresses[i] if addresses else "127.0.0.1"
            answers[i] = Client(REMOTE_ADDR=remote).post("/reports/", bodies[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.fixture
def sent():
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


def fill(days: int) -> None:
    for day in range(1, days + 1):
        ref_date = f"2024-01-{day:02d}"
        Report.objects.create(
            task_id=str(uuid.uuid4()), period="day", since=strf_date("day", ref_date),
            ref_date=ref_date, client="192.0.2.1",
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_at_the_cap_parallel_posts_for_a_new_day_are_all_429_and_nothing_is_left(sent, settings):
    settings.REPORT_MAX_ACTIVE = 20
    fill(20)
    answers = post_together([{"period": "day", "date": "2024-02-01"}] * PARALLEL)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [429] * PARALLEL, [a.content[:120] for a in answers]
    assert Report.objects.count() == 20
    sent.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_one_below_the_cap_parallel_posts_for_different_days_queue_exactly_one(sent, settings):
    """The last slot goes to one request; every other is a 429, none a 202 past the cap."""
    settings.REPORT_MAX_ACTIVE = 20
    fill(19)
    bodies = [{"period": "day", "date": f"2024-02-{day:02d}"} for day in range(1, PARALLEL + 1)]
    answers = post_together(bodies)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [202] + [429] * (PARALLEL - 1), [a.content[:120] for a in answers]
    assert Report.objects.filter(status__in=Report.ACTIVE).count() == 20
    assert sent.call_count == 1
