"""The test harness: every broker, backend and worker fixture lives here, and only here.

Tiers, from cheapest to most real:

* ``eager``: ``task_always_eager`` — the task body runs inline; proves wiring, hides the worker.
* ``inproc_worker``: ``celery.contrib.testing.worker.start_worker`` — a real consumer on a real
  broker in a thread of the test process, so it sees the test's mocks. One per session.
* ``proc_worker``: ``celery worker -P prefork -c 2`` as a child process — what only a real worker
  process shows: worker signals, fork, several children at once. One per session.
* ``page``: a real Chromium (Debian's, driven by Playwright) on top of any of the above, for the
  report page against pytest-django's ``live_server``.

The broker and the result backend come from ``TEST_BROKER`` / ``TEST_BACKEND`` (see
``config/settings/test.py``). Outside CI a live test skips with one line when its broker is down;
with ``CI=true`` it fails instead.
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)
import pytest
import requests
from celery.contrib.testing.worker import start_worker
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import AsyncResult
from django.conf import settings
from kombu import Connection
from kombu.utils.url import maybe_sanitize_url

import tests.livetasks  # noqa: F401  (test-only tasks, registered in the test process too)
from celery_uncovered import celery_app
from celery_uncovered.advex.brokers import PrivateBroker, free_port, port_open
from celery_uncovered.advex.workers import WorkerProcess, kill_process_group
from celery_uncovered.devservers.mailcatcher import MailCatcher
from celery_uncovered.devservers.replay import ReplayServer
from celery_uncovered.toyex.tasks import produce_hot_repo_report

ROOT = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARTIFACTS_DIR = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/fixtures/golden/ from the current code instead of comparing with it",
    )


@pytest.fixture
def update_golden(request) -> bool:
    """True when the run was asked to regenerate the golden files."""
    return request.config.getoption("--update-golden")


# --- eager tier ----------------------------------------------------------------------------------


@pytest.fixture
def eager() -> Iterator[None]:
    """Run tasks inline, exceptions propagating, and put the settings back afterwards."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


# --- the broker ----------------------------------------------------------------------------------


def missing(message: str) -> None:
    """Skip a live test whose real part is absent; in CI, where it must run, fail instead."""
    if IN_CI:
        pytest.fail(message + " — CI must run the live tier, so this is a failure.")
    pytest.skip(message)


def broker_problem() -> str | None:
    """Why the configured broker cannot be used, or None when it answers."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:  # any failure to connect means the same thing here
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture(autouse=True)
def _fault_tier_settings(request) -> None:
    """The fault tier needs its short timeouts (noxfile FAULT_ENV): refuse to run without them."""
    if request.node.get_closest_marker("faults") is None:
        return
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0)
    if timeout > 30 or settings.GITHUB_READ_TIMEOUT > 5 or not settings.GITHUB_TOKEN:
        pytest.fail(
            "run the fault tier through `nox -s faults`: it needs FAULT_ENV from noxfile.py "
            "(a short Redis visibility timeout and read timeout, a GITHUB_TOKEN)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def live_broker() -> str:
    """The broker URL of this run; skip (or in CI, fail) when it is not reachable."""
    url = celery_app.conf.broker_url
    problem = broker_problem()
    if problem:
        shown = maybe_sanitize_url(url)
        missing(f"live tier needs the broker {settings.TEST_BROKER} ({shown}): {problem}")
    return url


def purge_queue(queue: str) -> None:
    """Drop whatever an earlier test left in ``queue``."""
    with celery_app.connection_for_write() as conn:
        bound = celery_app.amqp.queues[queue](conn.default_channel)
        bound.declare()
        bound.purge()


def queue_depth(queue: str) -> int:
    """How many messages wait in ``queue`` on the broker right now."""
    with celery_app.connection_for_write() as conn:
        bound = celery_app.amqp.queues[queue](conn.default_channel)
        # Not passive: kombu's Redis transport answers 404 for a passive declare of an empty queue.
        return bound.queue_declare().message_count


# --- the database a worker process shares with the tests -----------------------------------------


def database_url_for_worker() -> str:
    """The URL of the test database, as pytest-django created it, for a worker process."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"].endswith("postgresql"):
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    raise NotImplementedError(f"no worker URL for database engine {db['ENGINE']}")


# --- live workers --------------------------------------------------------------------------------


@dataclass
class LiveWorker:
    """What a live test needs from a worker: its queue, a bounded wait, and its log."""

    kind: str
    queue: str
    process: WorkerProcess | None = None

    def wait(self, result: AsyncResult, timeout: float = 30.0, propagate: bool = True) -> object:
        """The task's result, or a clear failure naming the queue: never an endless wait."""
        try:
            return result.get(timeout=timeout, propagate=propagate, disable_sync_subtasks=False)
        except CeleryTimeoutError:
            alive = "" if self.process is None or self.process.is_running() else " (it has exited)"
            tail = f"\nworker log tail:\n{self.process.log_tail()}" if self.process else ""
            pytest.fail(
                f"task {result.id} did not finish within {timeout}s: no {self.kind} worker "
                f"completed it from queue {self.queue!r}{alive}; state={result.state}{tail}",
                pytrace=False,
            )

    def log_text(self) -> str:
        return self.process.log_text() if self.process else ""


@pytest.fixture(scope="session")
def replay_server() -> Iterator[ReplayServer]:
    """The GitHub replay server for the whole run; every worker is pointed at it."""
    server = ReplayServer().start_in_thread()
    yield server
    server.stop()


@pytest.fixture
def github(replay_server, settings) -> ReplayServer:
    """The replay server, reset for this test, and this process's settings pointed at it."""
    replay_server.state.reset()
    settings.GITHUB_API_URL = replay_server.url
    return replay_server


@pytest.fixture(scope="session")
def _smtp_session() -> Iterator[MailCatcher]:
    catcher = MailCatcher(port=free_port()).start()
    yield catcher
    catcher.stop()


@pytest.fixture
def smtp_server(_smtp_session, settings) -> MailCatcher:
    """A real SMTP server (aiosmtpd) every worker sends to; its mailbox empty for this test."""
    _smtp_session.mailbox.clear()
    settings.EMAIL_HOST, settings.EMAIL_PORT = _smtp_session.host, _smtp_session.port
    return _smtp_session


def worker_env(db_url: str, replay: ReplayServer, smtp: MailCatcher) -> dict[str, str]:
    """What a worker process needs to share this run: settings, database, GitHub, SMTP."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_RUN_ID": settings.TEST_RUN_ID,
        "TEST_BROKER": settings.TEST_BROKER,
        "TEST_BACKEND": settings.TEST_BACKEND,
        "DATABASE_URL": db_url,
        "GITHUB_API_URL": replay.url,
        "EMAIL_HOST": smtp.host,
        "EMAIL_PORT": str(smtp.port),
    }


def worker_process(queue: str, name: str, pool: str, concurrency: int, env: dict) -> WorkerProcess:
    """A worker subprocess of this run (not yet started), with the test-only tasks included."""
    return WorkerProcess(
        app=celery_app,
        queue=queue,
        log_path=Path(settings.TEST_VAR_DIR) / f"worker-{name}.log",
        pool=pool,
        concurrency=concurrency,
        env=env,
        extra_args=("--include", "tests.livetasks"),
        cwd=ROOT,
    )


@pytest.fixture(scope="session")
def spawn_worker(live_broker, django_db_setup, django_db_blocker, replay_server, _smtp_session):
    """Start (once per run) a ``celery worker`` subprocess with a given pool and concurrency."""
    with django_db_blocker.unblock():
        env = worker_env(database_url_for_worker(), replay_server, _smtp_session)
    workers: dict[tuple[str, int], WorkerProcess] = {}

    def spawn(pool: str = "prefork", concurrency: int = 2) -> WorkerProcess:
        key = (pool, concurrency)
        if key not in workers:
            name = f"{pool}{concurrency}"
            queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{name}"
            workers[key] = worker_process(queue, name, pool, concurrency, env)
            workers[key].start(ready_timeout=60)
        return workers[key]

    yield spawn
    for worker in workers.values():
        worker.stop()


@pytest.fixture(scope="session")
def _inproc_worker_session(live_broker, django_db_setup, django_db_blocker):
    """One in-process worker (a thread pool in this process) for the whole run.

    Its threads store results between tests too, so the database stays unblocked for them.
    """
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-inproc"
    saved = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    # start_worker checks the broker with app.connection(hostname=os.environ["TEST_BROKER"]): it
    # expects a URL there, where our TEST_BROKER is a name ("redis"). Hand it the URL meanwhile.
    saved_env = os.environ.get("TEST_BROKER")
    os.environ["TEST_BROKER"] = live_broker
    try:
        with django_db_blocker.unblock(), start_worker(
            celery_app, pool="threads", concurrency=4, queues=[queue], perform_ping_check=True,
            shutdown_timeout=30,
        ):  # fmt: skip
            if saved_env is not None:
                os.environ["TEST_BROKER"] = saved_env
            yield queue
    finally:
        celery_app.conf.task_default_queue = saved
        if saved_env is not None:
            os.environ["TEST_BROKER"] = saved_env


@contextmanager
def use_queue(queue: str) -> Iterator[None]:
    """Send this test's tasks to ``queue`` by default, starting from an empty queue."""
    saved = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    purge_queue(queue)
    try:
        yield
    finally:
        celery_app.conf.task_default_queue = saved


@contextmanager
def _live(worker: WorkerProcess) -> Iterator[LiveWorker]:
    if not worker.is_running():
        pytest.fail(f"the session's worker has exited; log tail:\n{worker.log_tail()}")
    with use_queue(worker.queue):
        yield LiveWorker(f"subprocess {worker.pool} -c {worker.concurrency}", worker.queue, worker)


@pytest.fixture
def proc_worker(transactional_db, spawn_worker) -> Iterator[LiveWorker]:
    """The session's prefork worker (2 children), with this test's tasks routed to it."""
    with _live(spawn_worker("prefork", 2)) as live:
        yield live


@pytest.fixture
def threads_worker(transactional_db, spawn_worker) -> Iterator[LiveWorker]:
    """The demo's worker (threads pool, 8 slots): one process, on every broker."""
    with _live(spawn_worker("threads", 8)) as live:
        yield live


@pytest.fixture
def single_slot_worker(transactional_db, spawn_worker) -> Iterator[LiveWorker]:
    """A prefork worker with one slot: a task that blocks on another would deadlock it."""
    with _live(spawn_worker("prefork", 1)) as live:
        yield live


@dataclass
class OwnWorkers:
    """Workers a fault test starts, breaks and replaces; all share one queue of the test's own."""

    queue: str
    env: dict[str, str]
    started: list[WorkerProcess]

    def start(
        self, pool: str = "threads", concurrency: int = 8, app: object = None, **env: str
    ) -> WorkerProcess:
        """Start one more worker on the test's queue; ``env`` overrides (MEDIA_ROOT, a broker)."""
        name = f"{self.queue.rsplit('-', 1)[-1]}-{len(self.started) + 1}"
        worker = worker_process(self.queue, name, pool, concurrency, {**self.env, **env})
        if app is not None:  # a worker on another broker answers pings there
            worker.app = app
        self.started.append(worker)
        return worker.start(ready_timeout=60)


@pytest.fixture
def own_workers(
    transactional_db, live_broker, replay_server, _smtp_session
) -> Iterator[OwnWorkers]:
    """Workers of this test alone (the session's workers must survive the faults)."""
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-own-{os.urandom(3).hex()}"
    workers = OwnWorkers(
        queue, worker_env(database_url_for_worker(), replay_server, _smtp_session), []
    )
    with use_queue(queue):
        yield workers
    for worker in workers.started:
        worker.kill()


@pytest.fixture
def private_broker(tmp_path) -> Iterator[PrivateBroker]:
    """A broker server of the run's kind, on its own port and data folder, for a test to crash."""
    if settings.TEST_BROKER not in ("rabbitmq", "redis"):
        pytest.fail(f"no private broker for TEST_BROKER={settings.TEST_BROKER}", pytrace=False)
    broker = PrivateBroker(settings.TEST_BROKER, tmp_path / "broker").start()
    yield broker
    broker.crash()


@pytest.fixture
def inproc_worker(transactional_db, _inproc_worker_session) -> Iterator[LiveWorker]:
    """The session's in-process worker, with this test's tasks routed to it."""
    queue = _inproc_worker_session
    with use_queue(queue):
        yield LiveWorker("in-process", queue)


@pytest.fixture
def celery_worker():
    """Refuse a worker per test: starting one costs seconds; use the session's workers."""
    pytest.fail("use proc_worker or inproc_worker: they start once per session", pytrace=False)


@pytest.fixture(params=["inproc", "subprocess"])
def any_worker(request, transactional_db) -> LiveWorker:
    """The same contract on both live tiers."""
    name = "inproc_worker" if request.param == "inproc" else "proc_worker"
    return request.getfixturevalue(name)


# --- a real runserver ----------------------------------------------------------------------------


@dataclass
class Runserver:
    """A ``manage.py runserver`` child: Django's own HTTP server, which logs through django.server.

    pytest-django's ``live_server`` uses a quiet request handler that logs nothing, so what only
    the development server does (its "GET /path" 500 record) needs the real program.
    """

    process: subprocess.Popen
    url: str
    log_path: Path

    def get(self, path: str, timeout: float = 30.0, **headers: str) -> int:
        """GET ``path``; the HTTP status, error statuses included."""
        return requests.get(self.url + path, headers=headers, timeout=timeout).status_code

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def runserver(transactional_db, live_broker, replay_server, _smtp_session, tmp_path):
    """Start ``manage.py runserver`` children that share the test's database, queue and SMTP.

    ``start(settings_module, **env)`` returns once the port answers; every child is killed after
    the test. The broker, the result backend and the default queue are the test's at call time.
    """
    started: list[Runserver] = []

    def start(settings_module: str = "config.settings.test", **env: str) -> Runserver:
        port = free_port()
        full_env = {
            **os.environ,
            **worker_env(database_url_for_worker(), replay_server, _smtp_session),
            "DJANGO_SETTINGS_MODULE": settings_module,
            "CELERY_BROKER_URL": celery_app.conf.broker_url,
            "CELERY_RESULT_BACKEND": celery_app.conf.result_backend,
            "CELERY_TASK_DEFAULT_QUEUE": celery_app.conf.task_default_queue,
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        log_path = tmp_path / f"runserver-{port}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks",
                 f"127.0.0.1:{port}"],
                cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        server = Runserver(process, f"http://127.0.0.1:{port}", log_path)
        started.append(server)
        deadline = time.monotonic() + 60
        while not port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"runserver did not start:\n{server.log_text()}", pytrace=False)
            time.sleep(0.1)
        return server

    yield start
    for server in started:
        kill_process_group(server.process)


# --- the CLI as a person runs it -----------------------------------------------------------------


@dataclass
class ManagePy:
    """``python manage.py`` in a subprocess, sharing this run's settings and test database."""

    env: dict[str, str]

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "manage.py", *args]

    def run(self, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
        """Run it to the end; ``env`` overrides (a broker URL, a queue)."""
        return subprocess.run(
            self.argv(*args), env={**os.environ, **self.env, **env}, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        """Start it and return at once (to read its output as it goes, or to interrupt it)."""
        return subprocess.Popen(
            self.argv(*args), env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1", **env},
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip


@pytest.fixture
def manage_py(transactional_db, replay_server, _smtp_session) -> ManagePy:
    """The real management commands in a subprocess that sees the rows this test sees."""
    return ManagePy(worker_env(database_url_for_worker(), replay_server, _smtp_session))


@pytest.fixture
def refusing_rabbitmq() -> str:
    """The machine's RabbitMQ with a wrong password: a broker that answers and refuses."""
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=3).close()
    except OSError as exc:
        missing(f"needs RabbitMQ on 127.0.0.1:5672 to refuse a login: {exc}")
    return "amqp://guest:wrongpw@127.0.0.1:5672//"


@pytest.fixture
def publish_through(monkeypatch) -> Iterator[Callable[[str], None]]:
    """Make report requests of this process publish to a broker URL of the test's choosing."""
    connections = []

    def use(url: str) -> None:
        # A plain kombu Connection: the app's would force this run's transport onto any URL.
        connections.append(Connection(url))
        send = functools.partial(produce_hot_repo_report.apply_async, connection=connections[-1])
        monkeypatch.setattr(produce_hot_repo_report, "apply_async", send)

    yield use
    for connection in connections:
        connection.release()


# --- a real browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (``playwright install`` cannot download here)."""
    if not CHROMIUM.exists():
        missing(f"the browser tier needs Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the rest of the session;
    # Django would refuse the tests' ORM calls and pytest-django's database flushes as
    # "async-unsafe" without this (nothing here is async: the loop only drives the browser).
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    if saved is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies, downloads accepted) for one test."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 900, "height": 700})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """Where a test leaves files for people to look at after the run (CI keeps them)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
