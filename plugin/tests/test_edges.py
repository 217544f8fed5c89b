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
