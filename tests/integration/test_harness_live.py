"""The live tiers: a real broker, a real worker, the same task."""

import pytest
from celery.result import AsyncResult

from celery_uncovered.tricks.tasks import add

pytestmark = pytest.mark.live


def test_add_runs_on_a_real_worker(celery_live_any_worker):
    """A task sent through the broker is executed by the worker and its result comes back."""
    result = add.delay(20, 22)
    assert celery_live_any_worker.wait(result, timeout=20) == 42
    assert AsyncResult(result.id).state == "SUCCESS"


def test_subprocess_worker_runs_tasks_in_its_own_processes(celery_live_proc_worker):
    """The prefork worker is a different process from the test, with its own children."""
    results = [add.delay(i, i) for i in range(10)]
    assert [celery_live_proc_worker.wait(r, timeout=20) for r in results] == [
        2 * i for i in range(10)
    ]
    assert "ready." in celery_live_proc_worker.log_text()


def test_a_task_nobody_consumes_fails_the_test_with_a_clear_message(celery_live_proc_worker):
    """When no worker takes the task, the wait ends at its deadline with an explanation."""
    result = add.apply_async((1, 1), queue=f"{celery_live_proc_worker.queue}-nobody-listens")
    with pytest.raises(pytest.fail.Exception, match=r"did not finish within 1\.0s"):
        celery_live_proc_worker.wait(result, timeout=1.0)
