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

import tests.support.livetasks  # noqa: F401  (test-only tasks, registered in the test process too)

pytest_plugins = ["pytester", "tests.support.fixtures"]
# Another project's files (the plugin's proof), copied into a temporary folder to run apart.
collect_ignore = ["tests/support/example_project"]
