"""A RabbitMQ or Redis server of one's own, on a private port, to crash and bring back.

The fault tier must never stop the machine's shared brokers: other runs and other people use them.
``PrivateBroker`` starts a separate server process with its own data folder, so ``crash()`` is a
real SIGKILL of a real broker and ``start()`` brings it back with what it had persisted, as a
restarted production broker would: RabbitMQ its durable queues and persistent messages, Redis its
append-only file (on, with fsync on every write, unlike the machine's Redis which keeps nothing).

``RabbitMQCluster`` is three such RabbitMQ nodes joined into one cluster (one Erlang cookie, one
HOME of its own), to lose one node while the others go on: which node leads a queue is asked of
``rabbitmqctl``, and that node is the one to kill.

The server programs are found on PATH (``redis-server``, ``rabbitmq-server``) unless given
(``server=``; the plugin's ``--celery-live-redis-server`` / ``--celery-live-rabbitmq-server``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lifeline
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
            f"no {SERVER_PROGRAMS[kind]} on PATH: "
            f"install it or name it (--celery-live-{kind}-server)"
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
    node_name: str = ""  # RabbitMQ: celery-live-<port>@localhost unless given (a cluster's nodes)
    home: Path | None = None  # RabbitMQ: where its Erlang cookie is; its data folder unless given
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("rabbitmq", "redis"):
            raise ValueError(f"no private broker of kind {self.kind!r}: rabbitmq or redis")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._dist_port = free_port()
        self.node_name = self.node_name or f"celery-live-{self.port}@localhost"
        self.home = self.home or self.data_dir

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
            "HOME": str(self.home),  # its own Erlang cookie (a cluster's nodes share one)
            "RABBITMQ_NODENAME": self.node_name,
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
        self.launch()
        return self.wait_listening(timeout)

    def launch(self) -> None:
        """Start the server process without waiting for it (a cluster starts its nodes at once)."""
        if port_open(self.port):
            raise BrokerDidNotStart(f"port {self.port} is already taken")
        argv, extra_env = self.command()
        with self.log_path.open("ab") as log:
            # Under a lifeline: the server and all it starts die with this process, however it ends.
            self._proc = subprocess.Popen(
                lifeline.wrap(argv), env={**os.environ, **extra_env}, cwd=self.data_dir,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                pass_fds=(lifeline.read_end(),),
            )  # fmt: skip

    def wait_listening(self, timeout: float = 60.0) -> PrivateBroker:
        """Return once the launched server accepts connections; kill it and raise if it does not."""

        proc = self._proc
        assert proc is not None, "launch() first"

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

    def is_running(self) -> bool:
        """Whether the server process is alive."""
        return self._proc is not None and self._proc.poll() is None

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


@dataclass
class RabbitMQCluster:
    """``size`` private RabbitMQ nodes joined into one cluster, to lose one mid-test.

    Each node has its own port, distribution port, node name and data folder; all share one
    Erlang cookie (a HOME of the cluster's own), which is what lets them join. ``url`` names
    every node, ``;``-separated: Celery and kombu read that as a list to fail over to.
    """

    data_dir: Path
    size: int = 3
    server: str | None = None
    nodes: list[PrivateBroker] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        home = self.data_dir / "home"
        home.mkdir(parents=True, exist_ok=True)
        cookie = home / ".erlang.cookie"
        if not cookie.exists():
            cookie.write_text(secrets.token_hex(20).upper())
            cookie.chmod(0o400)  # Erlang refuses a cookie others may read
        tag = secrets.token_hex(3)
        self.nodes = [
            PrivateBroker(
                "rabbitmq",
                self.data_dir / f"node{number}",
                server=self.server,
                home=home,
                node_name=f"celery-live-cluster-{tag}-{number}@localhost",
            )
            for number in range(1, self.size + 1)
        ]

    @property
    def url(self) -> str:
        """Every node's URL, ``;``-separated: a client goes on to the next when one is lost."""
        return ";".join(node.url for node in self.nodes)

    def ctl(self, node: PrivateBroker, *args: str, timeout: float = 60) -> str:
        """``rabbitmqctl -n <node> ...`` with the cluster's cookie; its output, or an error."""
        program = Path(find_server("rabbitmq", self.server)).with_name("rabbitmqctl")
        answer = subprocess.run(
            [str(program), "-n", node.node_name, *args],
            env={**os.environ, "HOME": str(node.home)}, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        if answer.returncode != 0:
            command = f"rabbitmqctl -n {node.node_name} {' '.join(args)}"
            raise BrokerDidNotStart(f"{command}: {answer.stderr or answer.stdout}")
        return answer.stdout

    def start(self, timeout: float = 120.0) -> RabbitMQCluster:
        """Start every node at once, then join the others to the first; return once all run."""
        try:
            for node in self.nodes:
                node.launch()
            for node in self.nodes:
                node.wait_listening(timeout)
            first, *others = self.nodes
            for node in others:
                self.ctl(node, "stop_app")
                self.ctl(node, "join_cluster", first.node_name)
                self.ctl(node, "start_app")
            wait_until(
                lambda: len(self.running_nodes()) == self.size, timeout,
                f"{self.size} RabbitMQ nodes to run as one cluster", interval=0.5,
            )  # fmt: skip
        except BaseException:
            self.stop()
            raise
        return self

    def heal(self, timeout: float = 120.0) -> RabbitMQCluster:
        """Start again every node that was killed (it rejoins with its data); wait for all."""
        for node in self.nodes:
            if not node.is_running():
                node.start(timeout)
        wait_until(
            lambda: len(self.running_nodes()) == self.size, timeout,
            f"{self.size} RabbitMQ nodes to run as one cluster again", interval=0.5,
        )  # fmt: skip
        return self

    def alive(self) -> list[PrivateBroker]:
        """The nodes whose process still runs."""
        return [node for node in self.nodes if node.is_running()]

    def running_nodes(self) -> list[str]:
        """The node names the cluster itself says are running (asked of a live node)."""
        status = json.loads(self.ctl(self.alive()[0], "cluster_status", "--formatter", "json"))
        return list(status.get("running_nodes", []))

    def queues(self) -> dict[str, dict[str, Any]]:
        """Each queue's leader and message counts, as a live node sees them."""
        columns = ("name", "type", "leader", "messages_ready", "messages_unacknowledged")
        rows = json.loads(self.ctl(self.alive()[0], "list_queues", *columns, "--formatter", "json"))
        return {row["name"]: row for row in rows}

    def leader_of(self, queue: str) -> PrivateBroker:
        """The node leading quorum queue ``queue`` now (a classic queue: the node it is on)."""
        leader = self.queues()[queue]["leader"]
        if leader:
            return next(node for node in self.nodes if node.node_name == leader)
        for node in self.alive():  # a classic queue has no leader: it is local to one node
            local = self.ctl(node, "list_queues", "--local", "--quiet", "--no-table-headers")
            if queue in local.split():
                return node
        raise LookupError(f"no running node holds queue {queue!r}")

    def stop(self) -> None:
        """SIGKILL every node (each one only if it was started): nothing of the cluster is left."""
        for node in self.nodes:
            if node._proc is not None and node.is_running():
                node.crash()
