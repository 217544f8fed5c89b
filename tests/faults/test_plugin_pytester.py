"""Faults on a project that is not this one: the shop kills a worker and crashes a broker.

The shop's ``test_faults.py`` (tests/support/example_project) asks the plugin for workers of its own
(``celery_live_own_workers``) and a broker of its own (``celery_live_private_broker``), in a pytest
run of its own.
"""

import pytest

pytestmark = [pytest.mark.live, pytest.mark.faults]


def test_another_project_survives_a_worker_kill_and_a_broker_restart(example_shop):
    result = example_shop("test_faults.py", "test_independence.py")
    result.assert_outcomes(passed=3)
