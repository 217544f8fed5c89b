"""``celery`` with a test run's settings laid over the project's: how the harness starts workers.

The project's own configuration (Django settings, a config module) stays as it is; the harness
only adds, through environment variables, what must differ in a test run:

* ``CELERY_LIVE_CONF``: JSON of Celery settings (the run's queue as ``task_default_queue``, the
  embedded broker's folders), applied when the worker starts (``celeryd_init``);
* ``CELERY_LIVE_DATABASES``: JSON ``{alias: name}`` of the databases pytest-django created, so the
  worker reads and writes the very database the test does;
* ``CELERY_LIVE_READY``: a pipe's write end, written to once the worker consumes
  (``worker_ready``): the harness waits on it instead of pinging a worker that is not up yet.

Usage: ``python -m pytest_celery_live.runworker -A proj worker ...`` (any ``celery`` args), or
``python -m pytest_celery_live.runworker --spare [--django]``: a warm spare (see ``spares``) that
imports Celery and the broker clients first, then reads one JSON line on stdin (``argv``, ``env``
and ``log`` of the worker to be) and becomes that worker. Those imports were most of a worker's
start (0.8 s of ``celery.bin.celery``, 0.3 s of redis-py, on this project's machine).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import types
from typing import TYPE_CHECKING

from celery import signals

if TYPE_CHECKING:
    from celery.app.utils import Settings

CONF_ENV = "CELERY_LIVE_CONF"
DATABASES_ENV = "CELERY_LIVE_DATABASES"
READY_ENV = "CELERY_LIVE_READY"
# What a spare imports before it knows its worker: nothing of the project, whose settings may read
# the environment the worker gets only then.
WARM_MODULES = (
    "celery.bin.celery", "celery.apps.worker", "celery.worker.consumer.consumer",
    "celery.concurrency.prefork", "celery.concurrency.thread", "celery.backends.redis",
    "kombu.transport.pyamqp", "kombu.transport.redis", "kombu.transport.filesystem",
)  # fmt: skip
DJANGO_MODULES = ("django.db.models",)  # 0.4 s: only when the run uses Django


def no_repl() -> None:
    """Stand in for ``click_repl``: the ``celery`` command imports it for ``celery amqp``'s shell.

    A worker never opens that shell, and the import (prompt_toolkit) was 0.4 s of the 1.6 s a
    worker took to start. Only for this process, and only if nothing imported the real one.
    """
    stub = types.ModuleType("click_repl")
    stub.register_repl = lambda group, name="repl": None  # type: ignore[attr-defined]
    stub.repl = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    sys.modules.setdefault("click_repl", stub)


def _apply_conf(conf: Settings, **kwargs: object) -> None:
    """Lay the run's Celery settings over the project's, before the worker reads them."""
    conf.update(json.loads(os.environ.get(CONF_ENV) or "{}"))


def _say_ready(**kwargs: object) -> None:
    """Tell the harness the worker consumes (its control channel too): one byte on the pipe."""
    fd = os.environ.pop(READY_ENV, "")
    if fd.isdigit():
        with contextlib.suppress(OSError):
            os.write(int(fd), b"r")
            os.close(int(fd))


def use_test_databases() -> None:
    """Point Django's connections at the test databases, before any connection is opened."""
    names = json.loads(os.environ.get(DATABASES_ENV) or "{}")
    if not names:
        return
    from django.conf import settings

    for alias, name in names.items():
        settings.DATABASES[alias]["NAME"] = name


def warm_up(django: bool) -> None:
    """Import what every worker imports, whichever project it runs (absent modules are skipped)."""
    for name in (*WARM_MODULES, *(DJANGO_MODULES if django else ())):
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def become(spec: dict[str, object]) -> None:
    """In a spare: take the worker's environment, arguments and log, as a fresh start would."""
    env = {str(k): str(v) for k, v in dict(spec["env"]).items()}  # type: ignore[call-overload]
    env.pop("CELERY_LIVE_LIFELINE", None)  # the spare watches its lifeline already
    os.environ.clear()
    os.environ.update(env)
    log = os.open(str(spec["log"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    for fd in (1, 2):
        os.dup2(log, fd)
    os.close(log)
    sys.argv = [sys.argv[0], *map(str, spec["argv"])]  # type: ignore[call-overload]


def main() -> None:
    """Run the ``celery`` command line with the run's settings applied."""
    from . import lifeline

    lifeline.watch_from_env()  # die with the process that started this one, however it ends
    no_repl()
    if sys.argv[1:2] == ["--spare"]:
        warm_up(django="--django" in sys.argv)
        line = sys.stdin.readline()
        if not line:  # the harness dropped this spare unused
            return
        become(json.loads(line))
    from celery.bin.celery import main as celery_main

    signals.celeryd_init.connect(_apply_conf, weak=False)
    signals.worker_ready.connect(_say_ready, weak=False)
    use_test_databases()
    celery_main()


if __name__ == "__main__":
    main()
