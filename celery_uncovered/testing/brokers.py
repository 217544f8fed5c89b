"""A RabbitMQ or Redis server of one's own, on a private port, to crash and bring back.

The fault tier must never stop the machine's shared brokers: other runs and other people use them.
``PrivateBroker`` starts a separate server process with its own data folder, so ``crash()`` is a
real SIGKILL of a real broker and ``start()`` brings it back with what it had persisted, as a
restarted production broker would: RabbitMQ its durable queues and persistent messages, Redis its
append-only file (on, with fsync on every write, unlike the machine's Redis which keeps nothing).

The server programs are found on PATH (``redis-server``, ``rabbitmq-server``) unless given
(``server=``; the plugin's ``--celery-redis-server`` / ``--celery-rabbitmq-server``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .waiting import DeadlinePassed, wait_until
from .workers import kill_process_group

SERVER_PROGRAMS = {"redis": "redis-server", "rabbitmq": "rabbitmq-server"}


class BrokerDidNotStart(RuntimeError):
    """The broker process exited or did not open its port in time."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def find_server(kind: str, given: str | None = None) -> str:
    """The server program for ``kind``: ``given`` if set, else found on PATH.

    Debian's ``/usr/sbin/rabbitmq-server`` is a wrapper that switches to the ``rabbitmq`` user and
    its data folder; the real script it runs (``/usr/lib/rabbitmq/bin/``) runs as us, so a wrapper
    found on PATH is replaced by that script when it exists.
    """
    program = given or shutil.which(SERVER_PROGRAMS[kind])
    if not program:
        raise BrokerDidNotStart(
            f"no {SERVER_PROGRAMS[kind]} on PATH: install it or name it (--celery-{kind}-server)"
        )
    real = Path(program).parents[1] / "lib" / "rabbitmq" / "bin" / "rabbitmq-server"
    if kind == "rabbitmq" and not given and real.exists():
        return str(real)
    return program


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on ``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class PrivateBroker:
    """One broker server: ``kind`` is ``rabbitmq`` or ``redis``; ``url`` is what Celery needs."""

    kind: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    server: str | None = None
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("rabbitmq", "redis"):
            raise ValueError(f"no private broker of kind {self.kind!r}: rabbitmq or redis")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._dist_port = free_port()

    @property
    def url(self) -> str:
        """The URL a Celery app or worker connects with."""
        if self.kind == "redis":
            return f"redis://127.0.0.1:{self.port}/0"
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    def command(self) -> tuple[list[str], dict[str, str]]:
        """The server's argv and environment: its own port, data folder and (RabbitMQ) node."""
        program = find_server(self.kind, self.server)
        if self.kind == "redis":
            return [
                program,
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.data_dir),
            ], {}  # fmt: skip
        (self.data_dir / "enabled_plugins").write_text("[].\n")  # no management port to clash
        (self.data_dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n"
        )
        env = {
            "HOME": str(self.data_dir),  # its own Erlang cookie
            "RABBITMQ_NODENAME": f"celery-live-{self.port}@localhost",
            "RABBITMQ_CONFIG_FILE": str(self.data_dir / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.data_dir / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.data_dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.data_dir / "log"),
            "RABBITMQ_DIST_PORT": str(self._dist_port),
            "RABBITMQ_PID_FILE": str(self.data_dir / "pid"),
        }
        return [program], env

    def start(self, timeout: float = 60.0) -> PrivateBroker:
        """Start the server (again, with its data) and return once its port accepts connections."""
        if port_open(self.port):
            raise BrokerDidNotStart(f"port {self.port} is already taken")
        argv, extra_env = self.command()
        with self.log_path.open("ab") as log:
            self._proc = proc = subprocess.Popen(
                argv, env={**os.environ, **extra_env}, cwd=self.data_dir, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

        def listening() -> bool:
            if proc.poll() is not None:
                raise BrokerDidNotStart(f"{self.kind} exited; its log:\n{self.log_tail()}")
            return port_open(self.port)

        try:
            wait_until(listening, timeout, f"{self.kind} to open port {self.port}", interval=0.1)
        except DeadlinePassed as exc:
            self.crash()
            raise BrokerDidNotStart(f"{exc}; its log:\n{self.log_tail()}") from None
        return self

    def crash(self) -> None:
        """SIGKILL the server and everything it started: no goodbye to any client."""
        kill_process_group(self._proc)
        wait_until(lambda: not port_open(self.port), 10, f"port {self.port} to close", interval=0.1)

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's own log (why it would not start)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(text.splitlines()[-lines:])
