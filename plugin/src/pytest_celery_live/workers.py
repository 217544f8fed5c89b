"""Run a real Celery worker as a child process and know for sure when it is ready.

The test harness, the demo and the benchmark all need the same three things: start
``celery worker`` with a given environment, wait until it answers a ping (with a deadline, never
forever), and stop it cleanly, keeping its log for whoever wants to read it. Nothing here knows
which project it runs: the app is whatever ``-A`` names (``app_path``, by default ``app.main``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from celery import Celery

from . import lifeline
from .runworker import CONF_ENV, DATABASES_ENV
from .spares import SPARES
from .waiting import DeadlinePassed, wait_until


def kill_process_group(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL a child started in a new session, and everything it started; then reap it."""
    if proc is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


class WorkerDidNotStart(RuntimeError):
    """The worker process exited or stayed silent past its deadline."""


@dataclass
class WorkerProcess:
    """A ``celery worker`` child process bound to one queue."""

    app: Celery
    queue: str
    log_path: Path
    pool: str = "prefork"
    concurrency: int = 2
    env: dict[str, str] = field(default_factory=dict)
    extra_args: tuple[str, ...] = ()
    hostname: str = field(default_factory=lambda: f"celery-live-{uuid.uuid4().hex[:8]}@%h")
    cwd: Path | None = None
    app_path: str = ""
    conf: dict[str, object] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _ready_fd: int | None = field(default=None, init=False, repr=False)

    @property
    def node_name(self) -> str:
        """The name the worker answers pings by (``%h`` expanded as Celery does)."""
        import socket

        return self.hostname.replace("%h", socket.gethostname())

    def command(self) -> list[str]:
        """``celery worker`` through our runner, which lays ``conf`` and ``databases`` over."""
        return [
            sys.executable, "-m", "pytest_celery_live.runworker",
            "-A", self.app_path or self.app.main, "worker",
            "-P", self.pool, "-c", str(self.concurrency), "-Q", self.queue,
            "-n", self.hostname, "-l", "INFO", "--without-gossip", "--without-mingle",
            *self.extra_args,
        ]  # fmt: skip

    def start(self, ready_timeout: float = 30.0) -> WorkerProcess:
        """Start the worker (from the run's warm spare when there is one) and wait until it answers.

        It says when it consumes (a byte on a pipe, ``worker_ready``); the ping after that answers
        at once. Pinging alone cost up to a ping's timeout (0.5 s) per ping sent too early.
        """
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            CONF_ENV: json.dumps({**self.conf, "task_default_queue": self.queue}),
            DATABASES_ENV: json.dumps(self.databases),
            **self.env,
            **lifeline.child_env(),  # it SIGKILLs its process group once this process is gone
        }
        started = SPARES.take(self.command(), env, self.cwd, self.log_path)
        self._proc, self._ready_fd = started.proc, started.ready_fd
        try:
            self.wait_ready(ready_timeout)
        finally:
            SPARES.refill()
        return self

    def is_running(self) -> bool:
        """Whether the worker process is still alive (it may be alive and not yet consuming)."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def ping(self, timeout: float = 0.5) -> bool:
        """Ask this worker, and only this one, whether it is consuming."""
        replies = self.app.control.ping(destination=[self.node_name], timeout=timeout)
        return any(self.node_name in reply for reply in replies or ())

    def wait_ready(self, timeout: float) -> None:
        """Return once the worker answers a ping; raise with its log if it exits or stays mute."""
        deadline = time.monotonic() + timeout
        self._await_ready_byte(deadline)

        def answers() -> bool:
            if not self.is_running():
                code = self._proc.returncode if self._proc else None
                raise WorkerDidNotStart(f"worker exited with {code}; its log:\n{self.log_tail()}")
            return self.ping(timeout=0.1)  # a ping sent before the control channel listens is lost

        try:
            left = max(deadline - time.monotonic(), 0.5)
            wait_until(answers, left, f"worker {self.node_name} to answer a ping", interval=0)
        except DeadlinePassed as exc:
            self.stop()
            raise WorkerDidNotStart(f"{exc}; its log:\n{self.log_tail()}") from None

    def _await_ready_byte(self, deadline: float) -> None:
        """Block until the worker writes "ready", exits, or the deadline passes (the ping tells)."""
        fd, self._ready_fd = self._ready_fd, None
        if fd is None:
            return
        try:
            while time.monotonic() < deadline and self.is_running():
                readable, _, _ = select.select([fd], [], [], 0.1)
                if readable:
                    return
        finally:
            os.close(fd)

    def describe(self, lines: int = 40) -> str:
        """Whether the worker still runs, and the end of its log: what a failed wait needs."""
        state = "running" if self.is_running() else f"exited ({self._proc and self._proc.poll()})"
        return (
            f"worker {self.node_name} ({self.pool} -c {self.concurrency}): {state}; log tail:\n"
            + (self.log_tail(lines))
        )

    def log_text(self) -> str:
        """Everything the worker logged so far (the file is kept after the run)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the log."""
        try:
            return "\n".join(self.log_text().splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log written)"

    def stop(self, timeout: float = 20.0) -> int | None:
        """Warm shutdown (SIGTERM), then SIGKILL for the whole process group past the deadline."""
        if self._proc is None:
            return None
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self._proc.returncode

    def stop_fast(self) -> None:
        """At the end of a run: SIGKILL the worker and its pool at once, as the lifeline would.

        A warm shutdown of an idle worker took 2.6 to 3.2 s (the event loop notices the signal at
        its next poll, then the pool joins its children), waiting on nothing a finished run needs:
        its tests are over and its queues are deleted right after.
        """
        if self._proc is not None and self._proc.poll() is None:
            self.kill()

    def kill(self) -> None:
        """Kill the worker and its pool children at once, as an OOM killer or a crash would."""
        kill_process_group(self._proc)
