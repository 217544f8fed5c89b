"""The plugin on a project that is not this one: the shop of tests/support/example_project.

Its tests run in a pytest process of their own (pytester), on this run's broker and backend, with
the plugin found through its ``pytest11`` entry point; the #4511 case (rows committed on either
side seen by the other) and the #5105 case (test after test on one session worker) among them.
"""

import re

import pytest

pytestmark = pytest.mark.live

SHOP_TESTS = 13  # test_orders.py (12) and test_independence.py (1)


def test_another_project_gets_live_tests_from_the_installed_plugin(example_shop):
    result = example_shop("test_orders.py", "test_independence.py")
    result.assert_outcomes(passed=SHOP_TESTS)
    assert re.search(r"^plugins: .*celery-uncovered-", result.stdout.str(), re.MULTILINE)
