"""A RabbitMQ or Redis server of one's own, on a private port, to crash and bring back.

The fault tier must never stop the machine's shared brokers: other runs and other people use them.
``PrivateBroker`` starts a separate server process with its own data folder, so ``crash()`` is a
real SIGKILL of a real broker and ``start()`` brings it back with what it had persisted, as a
restarted production broker would: RabbitMQ its durable queues and persistent messages, Redis its
append-only file (on, with fsync on every write, unlike the machine's Redis which keeps nothing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .workers import kill_process_group


class BrokerDidNotStart(RuntimeError):
    """The broker process exited or did not open its port in time."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class PrivateBroker:
    """One broker server: ``kind`` is ``rabbitmq`` or ``redis``; ``url`` is what Celery needs."""

    kind: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    _proc: subprocess.Popen | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("rabbitmq", "redis"):
            raise ValueError(f"no private broker of kind {self.kind!r}: rabbitmq or redis")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._dist_port = free_port()

    @property
    def url(self) -> str:
        if self.kind == "redis":
            return f"redis://127.0.0.1:{self.port}/0"
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    def command(self) -> tuple[list[str], dict[str, str]]:
        if self.kind == "redis":
            return [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.data_dir),
            ], {}  # fmt: skip
        (self.data_dir / "enabled_plugins").write_text("[].\n")  # no management port to clash
        (self.data_dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n"
        )
        env = {
            "HOME": str(self.data_dir),  # its own Erlang cookie
            "RABBITMQ_NODENAME": f"cu-private-{self.port}@localhost",
            "RABBITMQ_CONFIG_FILE": str(self.data_dir / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.data_dir / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.data_dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.data_dir / "log"),
            "RABBITMQ_DIST_PORT": str(self._dist_port),
            "RABBITMQ_PID_FILE": str(self.data_dir / "pid"),
        }
        # The Debian wrapper in /usr/sbin switches to the rabbitmq user; this one runs as us.
        return ["/usr/lib/rabbitmq/bin/rabbitmq-server"], env

    def start(self, timeout: float = 60.0) -> PrivateBroker:
        """Start the server (again, with its data) and return once its port accepts connections."""
        if port_open(self.port):
            raise BrokerDidNotStart(f"port {self.port} is already taken")
        argv, extra_env = self.command()
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                argv, env={**os.environ, **extra_env}, cwd=self.data_dir, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise BrokerDidNotStart(f"{self.kind} exited; its log:\n{self.log_tail()}")
            if port_open(self.port):
                return self
            time.sleep(0.1)
        self.crash()
        raise BrokerDidNotStart(f"{self.kind} did not open port {self.port} in {timeout:.0f}s")

    def crash(self) -> None:
        """SIGKILL the server and everything it started: no goodbye to any client."""
        kill_process_group(self._proc)
        deadline = time.monotonic() + 10
        while port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(text.splitlines()[-lines:])
