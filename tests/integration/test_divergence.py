"""One contract, two tiers: what eager mode hides, checked on the Celery version we pin.

Each test runs the same call eagerly and on the real prefork worker, and asserts both outcomes, so a
reader sees the difference side by side and a Celery upgrade that changes either side fails here.
"""

import contextlib
import time
from pathlib import Path

import celery
import pytest
from celery.exceptions import Retry, TimeLimitExceeded
from pytest_celery_live.queues import queue_depth
from pytest_celery_live.waiting import DeadlinePassed, wait_until

from celery_uncovered import celery_app
from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from celery_uncovered.toyex.models import Report, report_csv_path
from celery_uncovered.tricks.logs import task_log_path
from celery_uncovered.tricks.tasks import add
from tests.support import livetasks

pytestmark = [pytest.mark.live, pytest.mark.divergence, pytest.mark.subprocess]


def test_celery_version_is_the_one_these_claims_were_checked_on():
    """The divergences below were verified on Celery 5.7; re-check them when this changes."""
    assert celery.__version__.startswith("5.7.")


def test_worker_signals_fire_only_in_a_real_worker(
    celery_live_proc_worker, celery_live_eager, settings
):
    """Eager mode hides worker signals: celeryd_after_setup never fires, so no log file appears."""
    log_file = task_log_path(add.name, settings.LOGS_DIR)
    eager_marker = "Result of 1000 + 1 = 1001"
    add.delay(1000, 1)  # eager: runs inline
    assert not log_file.exists() or eager_marker not in log_file.read_text()

    celery.current_app.conf.task_always_eager = False
    celery_live_proc_worker.wait(add.delay(2000, 2), timeout=20)
    assert "Result of 2000 + 2 = 2002" in log_file.read_text()


def test_hard_time_limit_is_enforced_only_by_a_real_worker(
    celery_live_proc_worker, celery_live_eager, settings
):
    """Eager mode hides time limits: a task past its 1 s hard limit just finishes.

    Seen on Celery 5.7: on the embedded filesystem broker the worker has no event loop, and the
    prefork pool enforces limits from a thread that looks once a second, so a limit can be up to
    a second late (a 1.5 s task passed its 1 s limit about half the time). 2.5 s is past it for
    certain on every broker.
    """
    assert livetasks.sleep_for.delay(2.5).get() == 2.5

    celery.current_app.conf.task_always_eager = False
    with pytest.raises(TimeLimitExceeded):
        celery_live_proc_worker.wait(livetasks.sleep_for.delay(2.5), timeout=20)


def test_retry_countdown_is_waited_out_only_by_a_real_worker(
    celery_live_proc_worker, celery_live_eager
):
    """Eager mode hides retry delays: the retry runs inline at once, then Retry reaches us."""
    started = time.monotonic()
    with pytest.raises(Retry, match=r"Retry in 2s"):
        livetasks.retry_once.delay(2)
    assert time.monotonic() - started < 2

    celery.current_app.conf.task_always_eager = False
    waited_live = celery_live_proc_worker.wait(livetasks.retry_once.delay(2), timeout=30)
    assert waited_live >= 2


def test_queue_routing_is_ignored_in_eager_mode(celery_live_proc_worker, celery_live_eager):
    """Eager mode hides routing: a task sent to a queue nobody consumes still runs."""
    nowhere = f"{celery_live_proc_worker.queue}-unconsumed"
    assert livetasks.noop.apply_async(queue=nowhere).get() == "ran"

    celery.current_app.conf.task_always_eager = False
    result = livetasks.noop.apply_async(queue=nowhere)
    with contextlib.suppress(DeadlinePassed):  # the assertion below says what was seen
        wait_until(lambda: queue_depth(celery_app, nowhere) >= 1, 5, "the message to wait")
    assert queue_depth(celery_app, nowhere) == 1
    assert result.state == "PENDING"


@pytest.mark.parametrize("tier", ["eager", "live"])
def test_get_inside_a_task_is_refused_on_both_tiers(
    tier, celery_live_proc_worker, celery_live_eager
):
    """Not a divergence: Celery 5.7 refuses result.get() inside a task eagerly as well as live."""
    if tier == "eager":
        with pytest.raises(RuntimeError, match=r"Never call result\.get"):
            livetasks.join_inside_task.delay()
        return
    celery.current_app.conf.task_always_eager = False
    with pytest.raises(RuntimeError, match=r"Never call result\.get"):
        celery_live_proc_worker.wait(livetasks.join_inside_task.delay(), timeout=20)


def test_a_task_that_replaces_itself_with_a_chord_runs_only_on_a_worker(
    threads_worker, celery_live_eager, github, settings
):
    """The reverse of the above: eager mode breaks what a worker runs fine.

    Seen on Celery 5.7: eager ``apply_async`` runs the task under ``denied_join_result`` and an
    eager ``replace`` applies the chord with ``.get()``, so ``produce_hot_repo_report`` cannot run
    eagerly at all. A worker sends the chord instead of joining it, and the report is built.
    """
    with pytest.raises(RuntimeError, match=r"Never call result\.get"):
        produce_hot_repo_report.delay("week", "2026-11-24")

    # The eager attempt claimed the week's report before it broke, and its row stays "running":
    # the worker's run would follow that report (one report per period and day) instead.
    Report.objects.all().delete()
    celery.current_app.conf.task_always_eager = False
    result = produce_hot_repo_report.delay("week", "2026-11-24")
    path = threads_worker.wait(result, timeout=60)
    assert Path(path) == report_csv_path("2026-11-17", result.id)
