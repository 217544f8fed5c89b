"""The plugin on a project that is not this one: the shop of tests/support/example_project.

Its tests run in a pytest process of their own, on this run's broker and backend, with the plugin
found through its ``pytest11`` entry point: rows committed on either side seen by
the other, and test after test on one session worker, among them. Once in this
session's venv (pytester), once in a new venv outside the checkout with only the plugin's wheel,
pytest, pytest-django and Django installed (nothing of this app).
"""

import os
import re
import subprocess

import pytest

from tests.support.example import copy_example, runner_requirements
from tests.support.installed import venv_with_wheel
from tests.support.project import ROOT, new_user_env

pytestmark = pytest.mark.live

SHOP_TESTS = 14  # test_orders.py (13) and test_independence.py (1)
SEEN_BOTH_WAYS = [
    "test_orders.py::test_the_worker_sees_the_order_the_test_saved",
    "test_orders.py::test_the_test_sees_the_order_the_worker_saved",
]
PLUGIN_LOADED = re.compile(r"^plugins: .*celery-live-\d", re.MULTILINE)


def test_another_project_gets_live_tests_from_the_installed_plugin(example_shop):
    result = example_shop("test_orders.py", "test_independence.py")
    result.assert_outcomes(passed=SHOP_TESTS)
    assert PLUGIN_LOADED.search(result.stdout.str())


def test_a_new_venv_with_the_wheel_and_a_short_conftest_gets_live_tests(
    celery_live_broker_url, tmp_path
):
    """`pip install` the wheel elsewhere, copy the shop in: its rows-seen tests pass here."""
    # The shop's own dependencies, as its users install them (its settings name
    # django_celery_results: without it the shop's pytest stopped before any summary line).
    shop_needs = ["django", "django-celery-results"]
    requirements = [*runner_requirements(ROOT / "pyproject.toml"), *shop_needs]
    bin_dir = venv_with_wheel(*requirements, source=ROOT / "plugin", extras="[django,redis]")
    (site,) = bin_dir.parent.glob("lib/python*/site-packages")
    installed = {path.name for path in site.iterdir()}
    assert {"config", "celery_uncovered"}.isdisjoint(installed), "the app came along"
    assert not any(name.startswith("celery_uncovered") for name in installed)
    shop = tmp_path / "shop"
    copy_example(shop)
    choice = {name: value for name, value in os.environ.items() if name.startswith("CELERY_LIVE_")}
    done = subprocess.run(
        [bin_dir / "python", "-m", "pytest", "-p", "no:cacheprovider", *SEEN_BOTH_WAYS],
        cwd=shop, env=new_user_env(**choice), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert done.stdout.strip(), done.stderr[-5000:]
    assert pytest.RunResult.parse_summary_nouns(lines) == {"passed": 2}, done.stdout[-5000:]
    assert PLUGIN_LOADED.search(done.stdout)
