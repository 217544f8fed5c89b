"""This project tests itself with its own plugin, ``celery_live`` (pytest-celery-live, plugin/).

The plugin (a ``pytest11`` entry point) owns the broker, backend and worker fixtures:
``celery_live_eager``, ``celery_live_broker_url``, ``celery_live_inproc_worker``,
``celery_live_proc_worker``, ``celery_live_spawn_worker``, ``celery_live_any_worker``,
``celery_live_own_workers``, ``celery_live_private_broker``. pyproject.toml names the app
(``celery_live_app``) and the test-only tasks every worker imports (``celery_live_include``); nox
picks the broker and backend (``CELERY_LIVE_BROKER`` / ``CELERY_LIVE_BACKEND``). Outside CI a live
test skips with one line when its broker is down; with ``CI=true`` it fails instead.

This project's own services and worker configurations (``github``, ``smtp_server``,
``threads_worker``, ``browser``, ...) live in ``tests/support/fixtures.py``.
"""

import os

from hypothesis import settings

import tests.support.livetasks  # noqa: F401  (test-only tasks, registered in the test process too)

# Hypothesis's budget (docs/testing.md, "Deadlines and tiers by cost"): few examples while editing,
# the full search in CI. HYPOTHESIS_PROFILE picks one by name; properties take a share of it
# (tests/support/thoroughness.py).
settings.register_profile("fast", max_examples=30)
settings.register_profile("thorough", max_examples=300)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("thorough" if IN_CI else "fast"))

pytest_plugins = ["pytester", "tests.support.fixtures"]
# Another project's files (the plugin's proof), copied into a temporary folder to run apart.
collect_ignore = ["tests/support/example_project"]
