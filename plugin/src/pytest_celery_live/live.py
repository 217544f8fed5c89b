"""What a live test holds: a worker on its queue, a bounded wait, and the worker's log."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from celery import Celery
from celery.result import AsyncResult, ResultBase

from .queues import use_queue
from .waiting import DeadlinePassed, wait_until
from .workers import WorkerProcess

T = TypeVar("T")


def ci_default() -> bool:
    """``CI`` in the environment, as CI services set it: only the default of the CI rule."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# Whether a missing service fails rather than skips: --celery-live-ci / --celery-live-no-ci, then
# the celery_live_ci ini option, then CI in the environment (set by the plugin at configure).
REQUIRE_SERVICES = ci_default()


def missing(message: str) -> None:
    """Skip a live test whose real part is absent; in CI, where it must run, fail instead."""
    if REQUIRE_SERVICES:
        pytest.fail(message + " — CI must run the live tier, so this is a failure.", pytrace=False)
    pytest.skip(message)


@dataclass
class LiveWorker:
    """A worker serving this test's queue: wait for its results, read its log."""

    kind: str
    queue: str
    process: WorkerProcess | None = None

    def context(self) -> str:
        """Queue, worker liveness and log tail: what a failed wait prints."""
        if self.process is None:
            return f"queue {self.queue!r}, {self.kind}"
        return f"queue {self.queue!r}, {self.process.describe()}"

    def wait_until(
        self, condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05
    ) -> T:
        """Poll ``condition`` with a deadline; a timeout names the queue and the worker's state."""
        try:
            return wait_until(condition, timeout, what, context=self.context, interval=interval)
        except DeadlinePassed as exc:
            pytest.fail(str(exc), pytrace=False)

    def wait(
        self, result: AsyncResult[Any], timeout: float = 30.0, propagate: bool = True
    ) -> object:
        """The task's result, or a failure naming the task, queue, worker state and log tail."""
        if not isinstance(result, ResultBase):
            pytest.fail(
                "wait() takes what sending a task returns (an AsyncResult or GroupResult, e.g. "
                f"add.delay(1, 2)); got {type(result).__name__} {result!r}",
                pytrace=False,
            )
        try:
            wait_until(result.ready, timeout, f"task {result.id}")
        except DeadlinePassed:
            pytest.fail(
                f"task {result.id} did not finish within {timeout}s: no worker completed it; "
                f"state={result.state}; {self.context()}",
                pytrace=False,
            )
        return result.get(timeout=5, propagate=propagate, disable_sync_subtasks=False)

    def log_text(self) -> str:
        """The subprocess worker's whole log ('' for the in-process worker)."""
        return self.process.log_text() if self.process else ""


@contextmanager
def serve(app: Celery, worker: WorkerProcess) -> Iterator[LiveWorker]:
    """Route this test's tasks to ``worker``'s queue (emptied first); fail if the worker died."""
    if not worker.is_running():
        pytest.fail(f"the session's worker has exited; log tail:\n{worker.log_tail()}")
    with use_queue(app, worker.queue):
        yield LiveWorker(f"subprocess {worker.pool} -c {worker.concurrency}", worker.queue, worker)


@dataclass
class OwnWorkers:
    """Workers a fault test starts, breaks and replaces; all share one queue of the test's own."""

    app: Celery
    queue: str
    make: Callable[..., WorkerProcess]
    env: dict[str, str]
    started: list[WorkerProcess] = field(default_factory=list)

    probes: list[Celery] = field(default_factory=list)

    def start(
        self,
        pool: str = "threads",
        concurrency: int = 8,
        app: Celery | None = None,
        broker: str | None = None,
        **env: str,
    ) -> WorkerProcess:
        """Start one more worker on the test's queue; ``env`` overrides (MEDIA_ROOT, a broker).

        ``broker`` (a URL, e.g. ``celery_live_private_broker.url``) puts the worker on another
        broker than the run's; ``app`` is what pings it (by default an app on that broker).
        """
        if broker is not None:
            env = {"CELERY_BROKER_URL": broker, **env}  # Celery prefers it to any setting
            if app is None:
                app = Celery("celery-live-probe", broker=broker, set_as_current=False)
                self.probes.append(app)
        name = f"{self.queue.rsplit('-', 1)[-1]}-{len(self.started) + 1}"
        worker = self.make(self.queue, name, pool, concurrency, {**self.env, **env})
        if app is not None:
            worker.app = app
        self.started.append(worker)
        return worker.start(ready_timeout=60)

    def live(self) -> LiveWorker:
        """The latest worker started, as a test waits on it (a failed wait shows its log)."""
        process = self.started[-1] if self.started else None
        return LiveWorker("no worker of the test's own started", self.queue, process)

    def wait(
        self, result: AsyncResult[Any], timeout: float = 30.0, propagate: bool = True
    ) -> object:
        """The task's result from whichever of these workers ran it (see ``LiveWorker.wait``)."""
        return self.live().wait(result, timeout, propagate)

    def wait_until(
        self, condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05
    ) -> T:
        """Poll ``condition`` with a deadline (see ``LiveWorker.wait_until``)."""
        return self.live().wait_until(condition, timeout, what, interval)

    def kill_all(self) -> None:
        """SIGKILL every worker this test started."""
        for worker in self.started:
            worker.kill()
        for probe in self.probes:
            probe.close()


def log_path(folder: Path, name: str) -> Path:
    """Where worker ``name`` of this run writes its log (kept after the run)."""
    return folder / f"worker-{name}.log"
