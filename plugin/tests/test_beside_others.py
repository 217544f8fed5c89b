"""Safe beside the others: Celery's own pytest plugin and this one in one run, both passing."""

from __future__ import annotations

import pytest

THEIRS = """
def test_celery_s_own_worker(celery_app, celery_worker):
    @celery_app.task
    def mul(x, y):
        return x * y

    celery_worker.reload()
    assert mul.delay(4, 4).get(timeout=10) == 16
"""
OURS = """
from proj import add


def test_this_plugin_s_session_worker(celery_live_proc_worker):
    assert celery_live_proc_worker.wait(add.delay(2, 3)) == 5
"""


@pytest.mark.parametrize("django", ["pytest-django loaded", "no pytest-django"])
def test_celery_contrib_pytest_s_worker_and_this_plugin_s_pass_in_one_run(plain_project, django):
    """``-p celery.contrib.pytest``'s ``celery_worker`` is theirs, untouched by this plugin."""
    plain_project.makepyfile(test_theirs=THEIRS, test_ours=OURS)
    args = ["-p", "celery.contrib.pytest"] + (
        ["-p", "no:django"] if django.startswith("no") else []
    )
    result = plain_project.runpytest_subprocess(*args, timeout=300)
    result.assert_outcomes(passed=2)


def test_no_fixture_of_celery_contrib_pytest_is_defined_here():
    """Every fixture name ``celery.contrib.pytest`` defines is left to it."""
    import celery.contrib.pytest as theirs
    import pytest_celery_live.plugin as ours

    def fixtures(module: object) -> set[str]:
        return {
            name
            for name in dir(module)
            if hasattr(getattr(module, name), "_fixture_function_marker")
            or type(getattr(module, name)).__name__ == "FixtureFunctionDefinition"
        }

    mine = fixtures(ours) | {"celery_live_db"}
    assert fixtures(theirs), "found no fixture of celery.contrib.pytest to compare with"
    assert fixtures(theirs).isdisjoint(mine)
    # pytest-celery's (celery_setup, celery_broker, ...) never start so: one prefix keeps clear.
    assert all(name.lstrip("_").startswith("celery_live_") for name in mine), sorted(mine)
