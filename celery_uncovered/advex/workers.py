"""Run a real Celery worker as a child process and know for sure when it is ready.

The test harness, the demo and the benchmark all need the same three things: start
``celery worker`` with a given environment, wait until it answers a ping (with a deadline, never
forever), and stop it cleanly, keeping its log for whoever wants to read it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from celery import Celery


def kill_process_group(proc: subprocess.Popen | None) -> None:
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
    hostname: str = field(default_factory=lambda: f"cu-{uuid.uuid4().hex[:8]}@%h")
    cwd: Path | None = None
    _proc: subprocess.Popen | None = field(default=None, init=False, repr=False)

    @property
    def node_name(self) -> str:
        """The name the worker answers pings by (``%h`` expanded as Celery does)."""
        import socket

        return self.hostname.replace("%h", socket.gethostname())

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "celery", "-A", "celery_uncovered", "worker",
            "-P", self.pool, "-c", str(self.concurrency), "-Q", self.queue,
            "-n", self.hostname, "-l", "INFO", "--without-gossip", "--without-mingle",
            *self.extra_args,
        ]  # fmt: skip

    def start(self, ready_timeout: float = 30.0) -> WorkerProcess:
        """Start the worker and return once it answers a ping."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": self.queue, **self.env}
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            self.command(), env=env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        self.wait_ready(ready_timeout)
        return self

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def ping(self, timeout: float = 0.5) -> bool:
        """Ask this worker, and only this one, whether it is consuming."""
        replies = self.app.control.ping(destination=[self.node_name], timeout=timeout)
        return any(self.node_name in reply for reply in replies)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                raise WorkerDidNotStart(
                    f"worker exited with {self._proc.returncode}; its log:\n{self.log_tail()}"
                )
            if self.ping():
                return
        self.stop()
        raise WorkerDidNotStart(
            f"worker {self.node_name} gave no pong within {timeout:.0f}s; its log:\n"
            f"{self.log_tail()}"
        )

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
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

    def kill(self) -> None:
        """Kill the worker and its pool children at once, as an OOM killer or a crash would."""
        kill_process_group(self._proc)
