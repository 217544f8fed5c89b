"""A worker killed with work in hand: what comes back, when, and how often it runs.

Each test starts its own workers on its own queue (``celery_live_own_workers``), kills one with
SIGKILL — no warm shutdown, no chance to hand messages back — and starts another. RabbitMQ gives a
dead consumer's unacknowledged messages back the moment its connection drops; Redis has no consumer
acknowledgements, so kombu gives them back once they are older than the visibility timeout.
"""

from collections import Counter

import pytest
from django.conf import settings
from django.test import Client
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from tests.support import livetasks
from tests.support.absence import stays_false
from tests.support.faults import (
    finished_report,
    golden_name,
    page_requests,
    visibility_timeout,
    wait_until_page_hangs,
)
from tests.support.github_recordings import GOLDEN

pytestmark = [pytest.mark.live, pytest.mark.faults]


def test_a_worker_killed_mid_fetch_loses_no_page(celery_live_own_workers, github, tmp_path):
    """Page 3 hangs; the worker dies; a new worker fetches it again; one CSV, the golden one.

    Relies on ``acks_late=True`` on ``fetch_hot_repos`` (without it the page is acknowledged on
    receipt, dies with the worker and the report never finishes) and, on Redis, on the
    visibility timeout that brings the page back.
    """
    media = tmp_path / "media"
    github.state.add_fault(3, "slow", wait=30)
    first = celery_live_own_workers.start(MEDIA_ROOT=str(media))
    result = produce_hot_repo_report.delay("week", "2026-11-24")

    wait_until_page_hangs(github, result.id)
    first.kill()
    celery_live_own_workers.start(MEDIA_ROOT=str(media))

    report = finished_report(result.id, timeout=visibility_timeout() + 40)
    assert (report.status, report.error) == ("done", "")
    first_ask, second_ask = page_requests(github, 3)
    if visibility_timeout():
        # Redis: the page came back only once it was older than the visibility timeout.
        assert second_ask - first_ask >= visibility_timeout() - 0.5
    # one file, and no temp file left
    assert sorted(path.name for path in media.iterdir()) == [golden_name(result.id)]
    assert (media / golden_name(result.id)).read_bytes() == GOLDEN.read_bytes()


def runs_seen(path) -> int:
    """How many times the task appended its line so far."""
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_a_worker_killed_just_after_a_page_is_marked_done_still_finishes_the_report(
    celery_live_own_workers, github, tmp_path
):
    """Page 5 is marked done, then its worker dies before the page's result is stored or counted.

    The redelivered copy, on a second worker, finds the page done. It must still give the chord
    the page's result: a copy that only stores it and stops leaves the chord one short, and the
    report "running" with five of five pages done, forever (issue 24, the soak's first stuck
    report). The self-killing worker is ``tests/support/livetasks.py``'s KILL_AFTER_FINISH_PAGE.
    """
    media = tmp_path / "media"
    marker = tmp_path / "killed-after-page-5"
    first = celery_live_own_workers.start(
        MEDIA_ROOT=str(media), KILL_AFTER_FINISH_PAGE="5", KILL_MARKER=str(marker)
    )
    result = produce_hot_repo_report.delay("week", "2026-11-24")
    wait_until(lambda: not first.is_running(), 30, "the worker to kill itself after page 5")
    assert marker.exists()
    celery_live_own_workers.start(MEDIA_ROOT=str(media))

    report = finished_report(result.id, timeout=visibility_timeout() + 40)
    assert (report.status, report.error) == ("done", "")
    assert report.page_rows.filter(number=5, state="done").exists()
    assert sorted(path.name for path in media.iterdir()) == [golden_name(result.id)]
    assert (media / golden_name(result.id)).read_bytes() == GOLDEN.read_bytes()


def test_a_countdown_longer_than_the_visibility_timeout_runs_twice_on_redis(
    celery_live_own_workers, tmp_path
):
    """The price of Redis's visibility timeout, pinned: a message held past it is sent again.

    A worker holds a countdown task unacknowledged until it is due. On Redis, once the timeout
    passes, kombu restores the held message and the worker receives it a second time: the task
    runs twice. On RabbitMQ it runs once. This is why the settings refuse a visibility timeout
    shorter than GITHUB_MAX_WAIT, the backoff caps and the fetch time limit.
    """
    celery_live_own_workers.start(pool="threads", concurrency=2)
    runs = tmp_path / "runs.txt"
    countdown = max(visibility_timeout(), 2.0) + 3
    livetasks.append_line.apply_async((str(runs),), countdown=countdown)
    expected = 2 if visibility_timeout() else 1
    wait_until(lambda: runs_seen(runs) == expected, countdown + 15, f"{expected} run(s) of it")
    stays_false(lambda: runs_seen(runs) > expected, 3, f"run {expected + 1} of the countdown task")
    assert runs.read_text().splitlines() == ["ran"] * expected


def test_mail_queued_in_an_smtp_outage_survives_a_worker_kill(celery_live_own_workers, smtp_server):
    """SMTP down, three 500s, the worker holding their retries is killed; a new one sends all.

    Relies on ``acks_late=True`` on ``report_error_task`` and on retries being messages (a retry's
    countdown is held by the worker unacknowledged, so the broker gives it back when it dies) for
    "each arrives", and on the task id's claim (``advex/mailclaims.py``) for "once": the kill can
    leave two copies of one task id (the redelivered message and the retry it had published).
    """
    first = celery_live_own_workers.start(pool="prefork", concurrency=2)
    smtp_server.stop()
    try:
        client = Client(raise_request_exception=False)
        for case in range(3):
            assert client.get(f"/report-error?case={case}").status_code == 500
        wait_until(
            lambda: first.log_text().count("Retry in") >= 3,
            20,
            "the worker to meet the outage and schedule retries",
        )
        first.kill()
        celery_live_own_workers.start(pool="prefork", concurrency=2)
    finally:
        smtp_server.start()

    def mails_per_case() -> Counter:
        bodies = [m.get_body(("plain",)).get_content() for m in smtp_server.mailbox.messages]
        return Counter(case for body in bodies for case in range(3) if f"case={case}" in body)

    wait_until(
        lambda: set(mails_per_case()) == {0, 1, 2},
        visibility_timeout() + 40,
        "each error's e-mail after the restart",
    )
    # A duplicate copy would run within one retry wait: it must find the claim and not send.
    stays_false(
        lambda: max(mails_per_case().values()) > 1, settings.MAIL_RETRY_CAP + 3,
        "a second e-mail for one error", context=lambda: f"{mails_per_case()}",
    )  # fmt: skip
    assert mails_per_case() == {0: 1, 1: 1, 2: 1}
