"""This project tests itself with its own plugin, ``celery_live`` (pytest-celery-live, plugin/).

The plugin (a ``pytest11`` entry point) owns the broker, backend and worker fixtures: ``eager``,
``live_broker``, ``inproc_worker``, ``proc_worker``, ``spawn_worker``, ``any_worker``,
``own_workers``, ``private_broker``. pyproject.toml names the app (``celery_live_app``) and the
test-only tasks every worker imports (``celery_live_include``); nox picks the broker and backend
(``CELERY_LIVE_BROKER`` / ``CELERY_LIVE_BACKEND``). Outside CI a live test skips with one line
when its broker is down; with ``CI=true`` it fails instead.

This project's own services and worker configurations (``github``, ``smtp_server``,
``threads_worker``, ``browser``, ...) live in ``tests/support/fixtures.py``.
"""

import tests.support.livetasks  # noqa: F401  (test-only tasks, registered in the test process too)

pytest_plugins = ["pytester", "tests.support.fixtures"]
# Another project's files (the plugin's proof), copied into a temporary folder to run apart.
collect_ignore = ["tests/support/example_project"]
