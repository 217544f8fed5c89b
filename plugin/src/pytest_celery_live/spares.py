"""A warm spare: a worker process started before anyone asks for one, so that one is ready sooner.

A ``celery worker`` process spends most of its start importing Celery, click and the broker
clients (1.3 to 2.3 s measured, of which the broker connection and readiness took 0.1 s). A spare
(``runworker --spare``) does those imports at the start of the run, in the background, under the
run's lifeline like every worker; when a fixture asks for a worker it is handed the worker's
arguments, environment and log and becomes that worker: the same separate process a cold start
makes, minus the wait. It imports nothing of the project before then, whose settings may read
the environment the worker is given only then.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import lifeline
from .runworker import READY_ENV


@dataclass
class Started:
    """A worker process on its way up, and the pipe it says "ready" on."""

    proc: subprocess.Popen[bytes]
    ready_fd: int
    child_ready_fd: int  # the same pipe's write end, by its number in the child (pass_fds keeps it)


def ready_pipe() -> tuple[int, int]:
    """A pipe whose write end a worker inherits (``pass_fds``) and writes to once it consumes."""
    return os.pipe()


def popen(argv: list[str], env: dict[str, str], cwd: Path | None, **kwargs: object) -> Started:
    """Start ``argv`` as a worker of the run: own session, lifeline, a ready pipe."""
    read, write = ready_pipe()
    proc = subprocess.Popen(  # type: ignore[call-overload]
        argv, env={**env, READY_ENV: str(write), **lifeline.child_env()}, cwd=cwd,
        start_new_session=True, pass_fds=(lifeline.read_end(), write), **kwargs,
    )  # fmt: skip
    os.close(write)
    return Started(proc, read, write)


def interpreter_env(env: dict[str, str]) -> dict[str, str]:
    """What Python reads at its own start: a spare serves only a worker that shares these."""
    return {key: value for key, value in env.items() if key.startswith("PYTHON")}


@dataclass
class Spare:
    """One spare process, waiting on stdin for the worker it is to become."""

    started: Started
    cwd: Path | None
    python_env: dict[str, str]

    def fits(self, cwd: Path | None, env: dict[str, str]) -> bool:
        """Alive, in the same folder and with the same interpreter settings as the worker asked."""
        return (
            self.started.proc.poll() is None
            and self.cwd == cwd
            and self.python_env == interpreter_env(env)
        )

    def become(self, argv: list[str], env: dict[str, str], log: Path) -> Started:
        """Hand over the worker's arguments, environment and log; the spare is that worker now."""
        stdin = self.started.proc.stdin
        assert stdin is not None
        env = {**env, READY_ENV: str(self.started.child_ready_fd)}
        stdin.write(json.dumps({"argv": argv, "env": env, "log": str(log)}).encode() + b"\n")
        stdin.close()
        return self.started

    def drop(self) -> None:
        """An unused spare: end of input makes it exit; SIGKILL if it does not at once."""
        with contextlib.suppress(OSError):
            if self.started.proc.stdin:
                self.started.proc.stdin.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.started.proc.pid, 9)
        self.started.proc.wait(10)
        os.close(self.started.ready_fd)


class Spares:
    """At most one spare at a time, made again each time one is taken (a run may start several)."""

    def __init__(self) -> None:
        self._spare: Spare | None = None
        self._cwd: Path | None = None
        self._django = False
        self.enabled = False

    def prepare(self, cwd: Path | None, django: bool | None = None) -> None:
        """Start a spare in ``cwd`` (where workers run) unless one is waiting already.

        ``django``: the run uses Django, so the spare imports Django's ORM too.
        """
        self.enabled, self._cwd = True, cwd
        if django is not None:
            self._django = django
        if self._spare is None:
            argv = [sys.executable, "-m", "pytest_celery_live.runworker", "--spare"]
            started = popen(
                argv + (["--django"] if self._django else []),
                dict(os.environ), cwd, stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            self._spare = Spare(started, cwd, interpreter_env(dict(os.environ)))

    def take(self, argv: list[str], env: dict[str, str], cwd: Path | None, log: Path) -> Started:
        """A worker started from the spare if one fits, else a cold start (``refill`` after)."""
        spare, self._spare = self._spare, None
        if spare is not None and spare.fits(cwd, env):
            started = spare.become(argv[3:], env, log)  # argv[:3]: python -m runworker
        else:
            if spare is not None:
                spare.drop()
            with log.open("ab") as out:
                started = popen(argv, env, cwd, stdout=out, stderr=subprocess.STDOUT)
        return started

    def refill(self) -> None:
        """Make the next spare, once the worker taken is up (on 2 cores they slowed each other)."""
        if self.enabled:
            self.prepare(self._cwd)

    def drop(self) -> None:
        """No more workers in this run: the waiting spare goes (the lifeline would take it too)."""
        self.enabled = False
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.drop()


SPARES = Spares()  # the run's; a process that never prepares one starts every worker cold
