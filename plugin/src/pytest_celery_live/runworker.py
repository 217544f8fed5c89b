"""``celery`` with a test run's settings laid over the project's: how the harness starts workers.

The project's own configuration (Django settings, a config module) stays as it is; the harness
only adds, through two environment variables, what must differ in a test run:

* ``CELERY_LIVE_CONF``: JSON of Celery settings (the run's queue as ``task_default_queue``, the
  embedded broker's folders), applied when the worker starts (``celeryd_init``);
* ``CELERY_LIVE_DATABASES``: JSON ``{alias: name}`` of the databases pytest-django created, so the
  worker reads and writes the very database the test does.

Usage: ``python -m pytest_celery_live.runworker -A proj worker ...`` (any ``celery`` args).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from celery import signals

if TYPE_CHECKING:
    from celery.app.utils import Settings

CONF_ENV = "CELERY_LIVE_CONF"
DATABASES_ENV = "CELERY_LIVE_DATABASES"


def _apply_conf(conf: Settings, **kwargs: object) -> None:
    """Lay the run's Celery settings over the project's, before the worker reads them."""
    conf.update(json.loads(os.environ.get(CONF_ENV) or "{}"))


def use_test_databases() -> None:
    """Point Django's connections at the test databases, before any connection is opened."""
    names = json.loads(os.environ.get(DATABASES_ENV) or "{}")
    if not names:
        return
    from django.conf import settings

    for alias, name in names.items():
        settings.DATABASES[alias]["NAME"] = name


def main() -> None:
    """Run the ``celery`` command line with the run's settings applied."""
    from celery.bin.celery import main as celery_main

    from . import lifeline

    lifeline.watch_from_env()  # die with the process that started this one, however it ends
    signals.celeryd_init.connect(_apply_conf, weak=False)
    use_test_databases()
    celery_main()


if __name__ == "__main__":
    main()
