"""This project's own fixtures (registered by the root conftest through ``pytest_plugins``).

The broker, worker and eager fixtures come from the ``celery_live`` plugin
(``pytest_celery_live``); here are the services only this project has (the GitHub replay
server, the mail catcher, a browser), its worker configurations, and the fault tier's guard.
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Task
from django.conf import settings
from django.db import connections
from kombu import Connection
from pytest_celery_live.brokers import free_port, port_open
from pytest_celery_live.live import LiveWorker, missing, serve
from pytest_celery_live.waiting import wait_until
from pytest_celery_live.workers import WorkerProcess, kill_process_group

from celery_uncovered import celery_app
from celery_uncovered.devservers.mailcatcher import MailCatcher
from celery_uncovered.devservers.replay import ReplayServer
from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report

from .example import INDEPENDENCE_TEST, copy_example, run_variables
from .processes import ManagePy, Runserver, child_env
from .project import ROOT

ARTIFACTS_DIR = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Why tests marked for another database than this run's were deselected.
OTHER_DATABASE = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: rewrite the golden files instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current code instead of comparing with it",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to regenerate the golden files."""
    return request.config.getoption("--update-golden")


@pytest.fixture(autouse=True)
def _fault_tier_settings(request: pytest.FixtureRequest) -> None:
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


# --- what the plugin asks of this project ---------------------------------------------------


@pytest.fixture(scope="session")
def celery_live_dir() -> Path:
    """Worker logs and the embedded broker under this run's folder (var/test-runs/<run id>)."""
    return Path(settings.TEST_VAR_DIR)


@pytest.fixture(scope="session")
def celery_live_worker_env(
    replay_server: ReplayServer, _smtp_session: MailCatcher
) -> dict[str, str]:
    """What a worker process needs to share this run: its id (folders), GitHub, SMTP."""
    return {
        "TEST_RUN_ID": settings.TEST_RUN_ID,
        "GITHUB_API_URL": replay_server.url,
        "EMAIL_HOST": _smtp_session.host,
        "EMAIL_PORT": str(_smtp_session.port),
    }


# --- this project's services ----------------------------------------------------------------


@pytest.fixture(scope="session")
def replay_server() -> Iterator[ReplayServer]:
    """The GitHub replay server for the whole run; every worker is pointed at it."""
    server = ReplayServer().start_in_thread()
    yield server
    server.stop()


@pytest.fixture
def github(replay_server: ReplayServer, settings: object) -> ReplayServer:
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
def smtp_server(_smtp_session: MailCatcher, settings: object) -> MailCatcher:
    """A real SMTP server (aiosmtpd) every worker sends to; its mailbox empty for this test."""
    _smtp_session.mailbox.clear()
    settings.EMAIL_HOST, settings.EMAIL_PORT = _smtp_session.host, _smtp_session.port
    return _smtp_session


# --- this project's worker configurations ---------------------------------------------------


def session_worker(name: str, pool: str, concurrency: int, doc: str) -> Callable[..., object]:
    """A fixture: the session's ``pool``/``concurrency`` worker process, serving the test."""

    @pytest.fixture(name=name)
    def fixture(
        celery_live_db: None, celery_live_spawn_worker: Callable[..., WorkerProcess]
    ) -> Iterator[LiveWorker]:
        with serve(celery_app, celery_live_spawn_worker(pool, concurrency)) as live:
            yield live

    fixture.__doc__ = doc
    return fixture


threads_worker = session_worker(
    "threads_worker", "threads", 8, "The demo's worker (threads pool, 8 slots), on every broker."
)
single_slot_worker = session_worker(
    "single_slot_worker", "prefork", 1, "One slot: a task that blocks on another would deadlock."
)


# --- this project's programs, as a person runs them -----------------------------------------


@pytest.fixture
def manage_py(celery_live_db: None, celery_live_worker_env: dict[str, str]) -> ManagePy:
    """The real management commands in a subprocess that sees the rows this test sees."""
    return ManagePy(child_env(celery_live_worker_env))


@pytest.fixture
def runserver(
    celery_live_db: None,
    celery_live_broker_url: str,
    celery_live_worker_env: dict[str, str],
    tmp_path: Path,
) -> Iterator[Callable[..., Runserver]]:
    """Start ``manage.py runserver`` children that share the test's database, queue and SMTP.

    ``start(settings_module, **env)`` returns once the port answers; every child is killed after
    the test. The broker, the result backend and the default queue are the test's at call time.
    """
    started: list[Runserver] = []

    def start(settings_module: str = "config.settings.test", **env: str) -> Runserver:
        port = free_port()
        run = {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "CELERY_BROKER_URL": celery_app.conf.broker_url,
            "CELERY_RESULT_BACKEND": str(celery_app.conf.result_backend),
            "CELERY_TASK_DEFAULT_QUEUE": celery_app.conf.task_default_queue,
            # The embedded broker's folders are the run's, whatever settings module serves.
            "CELERY_BROKER_DIR": str(settings.BROKER_DIR),
        }
        full_env = child_env(celery_live_worker_env, **{**run, **env})
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

        def answering() -> bool:
            if process.poll() is not None:
                pytest.fail(f"runserver exited:\n{server.log_text()}", pytrace=False)
            return port_open(port)

        wait_until(answering, 60, "runserver to answer", context=server.log_text)
        return server

    yield start
    for server in started:
        kill_process_group(server.process)


@pytest.fixture
def refusing_rabbitmq() -> str:
    """The machine's RabbitMQ with a wrong password: a broker that answers and refuses."""
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=3).close()
    except OSError as exc:
        missing(f"needs RabbitMQ on 127.0.0.1:5672 to refuse a login: {exc}")
    return "amqp://guest:wrongpw@127.0.0.1:5672//"


@pytest.fixture
def publish_through(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Make a task's sends (the report's, by default) go to a broker URL of the test's choosing."""
    connections: list[Connection] = []

    def use(url: str, task: Task = produce_hot_repo_report) -> None:
        # A plain kombu Connection: the app's would force this run's transport onto any URL.
        connections.append(Connection(url))
        send = functools.partial(task.apply_async, connection=connections[-1])
        monkeypatch.setattr(task, "apply_async", send)

    yield use
    for connection in connections:
        connection.release()


# --- another project, for the plugin to prove itself on -------------------------------------


@pytest.fixture
def example_shop(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, celery_live_broker_url: str
) -> Callable[..., pytest.RunResult]:
    """The shop (tests/support/example_project) in a temporary folder; ``run(*args)`` tests it.

    A separate pytest process in this venv: it gets the plugin through its entry point, the run's
    broker and backend (``CELERY_LIVE_*``), and none of this project's settings or variables.
    """
    copy_example(pytester.path)
    pytester.makepyfile(test_independence=INDEPENDENCE_TEST)
    for name in run_variables(dict(os.environ)):
        monkeypatch.delenv(name)

    def run(*args: str) -> pytest.RunResult:
        return pytester.runpytest_subprocess("-ra", *args, timeout=600)

    return run


# --- a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
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
def page(browser: object) -> Iterator[object]:
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect tests marked ``database(vendor)`` in a run on another database (said after)."""
    vendor = connections["default"].vendor
    other = [
        item
        for item in items
        if (mark := item.get_closest_marker("database")) and vendor not in mark.args
    ]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if item not in other]
        config.stash[OTHER_DATABASE] = (
            f"{len(other)} test(s) deselected: marked for another database than {vendor}"
        )


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Say why tests marked for another database did not run, so nobody reads it as a pass."""
    if reason := config.stash.get(OTHER_DATABASE, ""):
        terminalreporter.write_line(reason)
