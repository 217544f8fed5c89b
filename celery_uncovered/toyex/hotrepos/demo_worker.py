"""The demo's one ``celery worker`` child: started, pinged until it answers, stopped.

The demo is the app's runtime, which never installs pytest, so it cannot use the test plugin's
``WorkerProcess`` (pytest-celery-live, in the test group only). It needs far less: one worker
on the default queue, a bounded wait for its first pong, a warm stop, and its log kept.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from celery import Celery


class DemoWorkerDidNotStart(RuntimeError):
    """The worker exited, or did not answer a ping within the deadline."""


@dataclass
class DemoWorker:
    """``celery -A celery_uncovered worker`` on ``queue``, logging to ``log_path``."""

    app: Celery
    queue: str
    log_path: Path
    pool: str = "threads"
    concurrency: int = 8
    env: dict[str, str] = field(default_factory=dict)
    node_name: str = field(default_factory=lambda: f"demo-{uuid.uuid4().hex[:8]}@localhost")
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    def start(self, ready_timeout: float = 60.0) -> DemoWorker:
        """Start the worker; return once it answers a ping, else stop it and say why."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        argv = [
            sys.executable, "-m", "celery", "-A", "celery_uncovered", "worker",
            "-P", self.pool, "-c", str(self.concurrency), "-Q", self.queue, "-n", self.node_name,
            "-l", "INFO", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                argv, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + ready_timeout
        while not self.app.control.ping(destination=[self.node_name], timeout=0.5):
            if self._proc.poll() is not None:
                raise DemoWorkerDidNotStart(f"the worker exited; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise DemoWorkerDidNotStart(f"no pong in {ready_timeout:g}s; see {self.log_path}")
        return self

    def stop(self, timeout: float = 20.0) -> None:
        """Warm shutdown (SIGTERM); SIGKILL past ``timeout``."""
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(10)
