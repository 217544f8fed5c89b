"""The result backend lost at the instant a page stores its result (issue 24, the second way a
report never finished).

The worker's results go to a private Redis server of the test's own, killed while page 5's
request is under way: the page's answer comes back, its result cannot be stored, and Celery
acknowledges the message. Before ``result_backend_always_retry`` and the internal-error handler
(toyex/hotrepos/tasks.py) the report stayed "running" for good with no word for the person waiting.
"""

import re

import pytest
from pytest_celery_live.brokers import PrivateBroker
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from tests.support.faults import finished_report, wait_until_page_hangs

pytestmark = [pytest.mark.live, pytest.mark.faults]


@pytest.fixture
def private_results(tmp_path):
    """A Redis server for the worker's results alone, to kill."""
    server = PrivateBroker("redis", tmp_path / "results").start()
    yield server
    server.crash()


def test_a_page_whose_result_cannot_be_stored_fails_its_report_with_a_notice(
    celery_live_own_workers, github, private_results, tmp_path
):
    # Celery prefers the variable to any setting (the run's django-db included).
    worker = celery_live_own_workers.start(
        MEDIA_ROOT=str(tmp_path / "media"), CELERY_RESULT_BACKEND=private_results.url
    )
    github.state.add_fault(5, "slow", wait=1.5)  # answered within the read timeout (2 s)
    result = produce_hot_repo_report.delay("week", "2026-11-24")

    wait_until_page_hangs(github, result.id, page=5)
    private_results.crash()

    # The backend's retries (about 5 s at the defaults), then the report fails, with a reason.
    report = finished_report(result.id, timeout=30)
    assert report.status == "failed", worker.describe()
    # Page 5, or a page marked done whose result was still on its way when the server died.
    assert re.fullmatch(
        r"page [1-5]: the result store did not take its result \(\w*Connection\w*Error: .+\); "
        r"ask again",
        report.error,
    ), report.error


def test_a_worker_whose_result_store_is_down_says_so_at_start(
    celery_live_own_workers, private_results
):
    """As with the database down: one ERROR line at start, not a bare "ready." (issue 24, 4)."""
    private_results.crash()
    worker = celery_live_own_workers.start(CELERY_RESULT_BACKEND=private_results.url)

    said = wait_until(
        lambda: [line for line in worker.log_text().splitlines() if "result store" in line],
        20,
        "the worker to say its result store is down",
        context=worker.describe,
    )
    (line,) = said
    assert " ERROR " in line
    assert f"cannot reach the result store redis://127.0.0.1:{private_results.port}/0 (" in line
    assert line.endswith("; every report will fail until it answers")
