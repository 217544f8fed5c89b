"""A run's id, what it declared on the broker, and the clean-up of what a killed run left.

Every queue and worker node a run makes carries its run id (``celery-live-<id>...``), and the run
writes down, as it goes, the broker and the queues it declared there, in
``$TMPDIR/celery-live-runs/<id>.json``. A run that ends removes its queues and that file; a run
killed before that leaves both, and ``python -m pytest_celery_live.cleanup <id>`` removes exactly
what that run declared (and kills any process still carrying its id): nothing of another run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kombu import Connection
from kombu.exceptions import ChannelError

RUN_ID_ENV = "CELERY_LIVE_RUN_ID"  # in every process the run starts, so clean-up can find them


def runs_dir() -> Path:
    """Where runs write what they declared (``$CELERY_LIVE_RUNS_DIR``, else under $TMPDIR)."""
    given = os.environ.get("CELERY_LIVE_RUNS_DIR")
    return Path(given) if given else Path(tempfile.gettempdir()) / "celery-live-runs"


def new_run_id() -> str:
    """A short id no other run on this machine or broker has."""
    return uuid.uuid4().hex[:10]


@dataclass
class RunRecord:
    """What one run declared on its broker, written down as it declares it."""

    run_id: str
    broker_url: str = ""
    transport: str | None = None
    transport_options: dict[str, Any] = field(default_factory=dict)
    queues: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return runs_dir() / f"{self.run_id}.json"

    def save(self) -> None:
        """Write the record whole (a rename: a reader sees the old one or the new one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        partial.touch(mode=0o600)  # the broker URL may carry a password
        partial.write_text(json.dumps(asdict(self)))
        os.replace(partial, self.path)

    def add_queue(self, name: str) -> None:
        if name not in self.queues:
            self.queues.append(name)
            self.save()

    @classmethod
    def load(cls, run_id: str) -> RunRecord:
        path = runs_dir() / f"{run_id}.json"
        return cls(**json.loads(path.read_text()))

    def connection(self) -> Connection:
        return Connection(
            self.broker_url, transport=self.transport, transport_options=self.transport_options
        )

    def forget(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def remove_queue(conn: Connection, name: str) -> None:
    """Delete queue ``name`` and its messages on ``conn``'s broker, whichever transport it is.

    kombu's virtual transports (Redis, the filesystem) delete only bindings the deleting process
    declared itself, so a queue another process made is purged, and on Redis unbound, by hand.
    """
    channel: Any = conn.default_channel
    if conn.transport.driver_type == "amqp":
        try:
            channel.queue_delete(name)
        except ChannelError:  # already gone; the channel is closed after an error
            conn.release()
        return
    channel._purge(name)
    if conn.transport.driver_type == "redis":
        client = channel.client
        separator = channel.sep.encode()
        for key in client.scan_iter(match=f"{channel.keyprefix_queue.split('%')[0]}*"):
            for member in client.smembers(key):
                if member.split(separator)[-1] == name.encode():
                    client.srem(key, member)


def remove_run_queues(record: RunRecord) -> list[str]:
    """Delete every queue the run declared; the names deleted."""
    with record.connection() as conn:
        for name in record.queues:
            remove_queue(conn, name)
    return list(record.queues)


def processes_of(run_id: str) -> list[int]:
    """Pids of live processes whose environment carries this run id (Linux ``/proc``)."""
    mark = f"{RUN_ID_ENV}={run_id}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if mark in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def kill_processes_of(run_id: str) -> list[int]:
    """SIGKILL every process still carrying this run id; the pids killed."""
    pids = processes_of(run_id)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids
