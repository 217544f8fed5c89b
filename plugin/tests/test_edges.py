"""Clear at the edges: a wait on something that is not a task's result says what it expected."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("given", ["None", "42", "'a-task-id'"])
def test_waiting_on_a_non_result_says_what_was_expected(plain_project, given):
    plain_project.makepyfile(
        test_wait=f"""
        def test_wait(celery_live_proc_worker):
            celery_live_proc_worker.wait({given})
        """
    )
    result = plain_project.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*wait() takes what sending a task returns (an AsyncResult*"])
    assert "AttributeError" not in result.stdout.str()


def test_an_app_that_names_no_broker_runs_on_celery_s_default(plain_project, monkeypatch):
    """``Celery("proj")`` and no choice: Celery's default broker (AMQP on localhost), as a
    worker would use it; the run's settings were read as a string and raised AttributeError."""
    monkeypatch.delenv("CELERY_LIVE_BROKER", raising=False)
    plain_project.makepyfile(
        test_default="""
        from proj import add


        def test_default_broker(celery_live_proc_worker, celery_live_broker_url):
            assert celery_live_broker_url.startswith("amqp://")
            assert celery_live_proc_worker.wait(add.delay(1, 2)) == 3
        """
    )
    result = plain_project.runpytest_subprocess()
    result.assert_outcomes(passed=1)
