"""pytest plugin ``celery_live``: real Celery workers on real brokers, for any Celery project.

Registered by the ``pytest11`` entry point; it does nothing until a test asks for one of its
fixtures or the run names a broker. The app comes from the ``celery_live_app`` ini option (what
``celery -A`` takes) or from overriding the ``celery_live_app`` fixture.

Tiers: ``celery_live_eager`` (inline, restored after the test), ``celery_live_inproc_worker`` (a
thread-pool worker in the test process, once per session), ``celery_live_proc_worker`` and
``celery_live_spawn_worker(pool, concurrency)`` (a ``celery worker`` child process per
pool/concurrency, once per session, sharing pytest-django's test database),
``celery_live_own_workers``, ``celery_live_private_broker`` and ``celery_live_rabbitmq_cluster`` to
break on purpose. A test marked ``celery_live_broker("rabbitmq")`` is about that broker alone: a run
on another broker deselects it (it does not apply there; nothing is missing, so it is no skip).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from celery.app.utils import Settings, find_app
from kombu.utils.url import maybe_sanitize_url

from . import embedded, live, queues, runs, selection
from .brokers import PrivateBroker, RabbitMQCluster, find_server
from .inproc import inproc_worker
from .live import LiveWorker, OwnWorkers, log_path, missing, serve
from .queues import use_queue
from .spares import SPARES
from .workers import WorkerProcess

FS_FOLDERS = ("data_folder_in", "data_folder_out")
# Why tests were deselected as marked for another broker or backend kind than this run's.
DESELECTED = pytest.StashKey[list[str]]()
RUN_ID = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The run's choices: broker, backend, server programs; the project's: app and includes."""
    group = parser.getgroup("celery_live", "real Celery workers and brokers")
    group.addoption(
        "--celery-live-broker", help="rabbitmq, redis, embedded or a URL ($CELERY_LIVE_BROKER)"
    )
    group.addoption(
        "--celery-live-backend", help="redis, django-db, rpc or a URL ($CELERY_LIVE_BACKEND)"
    )
    group.addoption(
        "--celery-live-ci", action="store_const", const=True, dest="celery_live_ci",
        help="a missing broker or server fails the test instead of skipping it (default: $CI)",
    )  # fmt: skip
    group.addoption(
        "--celery-live-no-ci", action="store_const", const=False, dest="celery_live_ci",
        help="a missing broker or server skips the test, even with CI set",
    )  # fmt: skip
    parser.addini(
        "celery_live_ci", "fail (true) or skip (false) when a service is missing; default: $CI",
        type="bool", default=None,  # type: ignore[maybe-unrecognized-str-typeform]
    )  # fmt: skip
    for kind in ("rabbitmq", "redis"):
        group.addoption(
            f"--celery-live-{kind}-server", help=f"{kind} server program (default: PATH)"
        )
    parser.addini("celery_live_app", "the Celery app, as `celery -A` takes it")
    parser.addini("celery_live_broker", "default broker: rabbitmq, redis, embedded or a URL")
    parser.addini("celery_live_backend", "default result backend: redis, django-db, rpc or a URL")
    # pytest 9 also takes a TypeForm for `type`; mypy 1.19 then suspects this tag of being one.
    parser.addini("celery_live_include", "modules worker processes import too", type="linelist")  # type: ignore[maybe-unrecognized-str-typeform]


def choice(options: object, config: pytest.Config, name: str) -> str | None:
    """Command line, then environment, then ini: the first that names the ``name`` to use."""
    env = selection.BROKER_ENV if name == "broker" else selection.BACKEND_ENV
    sources = (
        (getattr(options, f"celery_live_{name}", None), f"--celery-live-{name}"),
        (os.environ.get(env), f"${env}"),
        (config.getini(f"celery_live_{name}"), f"the celery_live_{name} ini option"),
    )
    for value, source in sources:
        if value:
            SOURCES[name] = source
            return str(value)
    return None


# Where the run's broker and backend were named (what a misconfiguration message points at).
SOURCES: dict[str, str] = {}


def broker_setting() -> str:
    """The setting a person fixes when the broker refuses: where the run's URL came from."""
    return SOURCES.get("broker", "the app's broker_url (CELERY_BROKER_URL)")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> Iterator[None]:
    """Export the choice before pytest-django loads the settings, so they read it too."""
    options = early_config.known_args_namespace
    try:
        selection.export(
            choice(options, early_config, "broker"), choice(options, early_config, "backend")
        )
    except ValueError as exc:  # a typo in the broker or backend: a usage error, one line
        raise pytest.UsageError(f"celery_live: {exc}") from None
    if early_config.getini("celery_live_app") and not options.collectonly:
        run_id(early_config)  # the spare carries the run's id too
        # Warm while conftests load and pytest collects (pytest-django may not have run yet).
        django = bool(
            os.environ.get("DJANGO_SETTINGS_MODULE")
            or getattr(options, "ds", None)
            or ini(early_config, "django_settings_module")
        )
        SPARES.prepare(Path(early_config.rootpath), django)
        early_config.add_cleanup(SPARES.drop)
    return (yield)


def ini(config: pytest.Config, name: str) -> object:
    """An ini value, or None where no plugin declared that key (pytest-django absent)."""
    try:
        return config.getini(name)
    except ValueError:
        return None


def run_id(config: pytest.Config) -> str:
    """This run's id, made once, in the environment of every process the run starts.

    Made anew even when the environment has one: that is the run that started this pytest.
    """
    if RUN_ID not in config.stash:
        config.stash[RUN_ID] = runs.new_run_id()
        os.environ[runs.RUN_ID_ENV] = config.stash[RUN_ID]
    return config.stash[RUN_ID]


def _django(request: pytest.FixtureRequest) -> bool:
    """Whether pytest-django runs here with Django settings (then workers share its database).

    pytest-django installed is not enough: in a plain Celery project it runs without settings and
    its database fixtures skip ("no Django settings"), which skipped every live test.
    """
    return django_configured(request.config)


def django_configured(config: pytest.Config) -> bool:
    """pytest-django is loaded and found Django settings for this run."""
    if not config.pluginmanager.has_plugin("django"):
        return False
    from pytest_django.lazy_django import django_settings_is_configured

    return django_settings_is_configured()


# --- the app and the run ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_live_app(request: pytest.FixtureRequest) -> Celery:
    """The project's Celery app, from the ``celery_live_app`` ini option (override to choose)."""
    name = request.config.getini("celery_live_app")
    if not name:
        pytest.fail("set the celery_live_app ini option (as `celery -A` takes it)", pytrace=False)
    return find_app(name)


@pytest.fixture(scope="session")
def celery_live_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this run's worker logs and embedded broker live (override to keep them elsewhere)."""
    return tmp_path_factory.mktemp("celery-live")


@pytest.fixture(scope="session")
def celery_live_worker_env() -> dict[str, str]:
    """Extra environment for every worker process (override: your services' addresses)."""
    return {}


@pytest.fixture(scope="session")
def celery_live_run_id(request: pytest.FixtureRequest) -> str:
    """This run's id: in its queue and worker names, and the key to clean up after a kill."""
    return request.config.stash[RUN_ID]


@pytest.fixture(scope="session")
def celery_live_queue(
    celery_live_app: Celery, celery_live_conf: dict[str, object], celery_live_run_id: str
) -> Iterator[str]:
    """This run's queue prefix, ``celery-live-<run id>``: runs sharing a broker never meet.

    Every queue the run declares is written down as it goes (``runs.RunRecord``) and deleted at
    the end, so nothing is left on a shared broker; a killed run's are removed by
    ``python -m pytest_celery_live.cleanup <run id>``.
    """
    conf = celery_live_app.conf
    record = runs.RunRecord(
        celery_live_run_id, str(conf.broker_url), conf.broker_transport,
        dict(conf.broker_transport_options or {}),
    )  # fmt: skip
    queues.DECLARED.append(record.add_queue)
    yield f"celery-live-{celery_live_run_id}"
    queues.DECLARED.remove(record.add_queue)
    if record.queues:
        try:
            runs.remove_run_queues(record)
        except Exception as exc:  # the broker is gone: the record stays for the clean-up command
            warnings.warn(
                f"celery_live: could not delete this run's queues ({exc}); later: "
                f"python -m pytest_celery_live.cleanup {celery_live_run_id}",
                stacklevel=1,
            )
            return
    record.forget()


@pytest.fixture(scope="session")
def celery_live_conf(celery_live_app: Celery, celery_live_dir: Path) -> dict[str, object]:
    """Settings this run lays over the app's, here and in each worker process.

    The chosen broker and backend (``--celery-live-broker``, ``CELERY_LIVE_BROKER``, ini), and for
    the embedded broker folders of the run's own unless the project names some.
    """
    conf = celery_live_app.conf
    laid: dict[str, object] = {}
    broker, backend = selection.chosen()
    if broker:
        laid["broker_url"] = broker
    if backend:
        laid["result_backend"] = backend
    if (broker or conf.broker_url or "").startswith("filesystem"):  # unset: amqp, as Celery
        laid.update(embedded_broker(conf, celery_live_dir / "broker"))
    conf.update(laid)
    forget_connections(celery_live_app)
    return laid


def forget_connections(app: Celery) -> None:
    """Drop the pools and backend the app built from its own settings before the run's were laid.

    Built once and kept, they would still send to the settings' broker: a plain ``.delay()`` or an
    eager test before the first live test left every later live test publishing where no worker
    listens. Celery has no public way to re-read the URLs; this is what its own after-fork
    clean-up resets (private attributes: celery-types does not know them, hence ``Any``).
    """
    state: Any = app
    if state._pool is not None:
        state._pool.force_close_all()
        state._pool = None
    amqp = state.__dict__.get("amqp")  # a cached property: only if it was built
    if amqp is not None and amqp._producer_pool is not None:
        amqp._producer_pool.force_close_all()
        amqp._producer_pool = None
    state._backend_cache = None
    state._local.__dict__.pop("backend", None)


@pytest.fixture(scope="session", autouse=True)
def _celery_live_choice(request: pytest.FixtureRequest) -> None:
    """A broker or backend the run chose is laid before the first test, whichever it is.

    Laid only when a live fixture asked, a test run before it (celery_live_eager, or a plain
    ``.delay()``) used the settings' broker. Nothing happens when the run chose nothing, or in a
    project that names no app in its ini (a run of pytester projects, say).
    """
    if any(selection.chosen()) and request.config.getini("celery_live_app"):
        request.getfixturevalue("celery_live_conf")


def embedded_broker(conf: Settings, folder: Path) -> dict[str, object]:
    """The embedded broker's settings where the project names no folders of its own.

    kombu's filesystem transport defaults to folders relative to the working directory and polls
    once a second; the run gets folders of its own and a 20 ms poll. The transport class stays
    the project's if it names one (``broker_transport``); otherwise it is kombu's with whole
    messages (``embedded``).
    """
    options = dict(conf.broker_transport_options or {})
    if all(key in options for key in FS_FOLDERS):
        return {}
    transport = {} if conf.broker_transport else {"broker_transport": embedded.TRANSPORT}
    queue, control = folder / "queue", folder / "control"
    for path in (queue, control):
        path.mkdir(parents=True, exist_ok=True)
    return {
        "broker_transport_options": {
            "polling_interval": 0.02,
            **options,
            **dict.fromkeys(FS_FOLDERS, str(queue)),
            "control_folder": str(control),
        },
        **transport,
    }


@pytest.fixture
def celery_live_eager(celery_live_app: Celery) -> Iterator[None]:
    """Run tasks inline, exceptions propagating, and put the settings back afterwards."""
    conf = celery_live_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture(scope="session")
def celery_live_broker_url(celery_live_app: Celery, celery_live_conf: dict[str, object]) -> str:
    """The broker URL of this run, connected to once.

    Nothing listening there skips (or, under the CI rule, fails); a broker that answers but
    refuses — a wrong password, an unknown vhost or host, a bad URL — fails at once, in one line
    naming the setting to fix: a green run with nothing tested is worse than a red one.
    """
    url = celery_live_app.conf.broker_url
    if not url:  # none named: Celery's default (AMQP on localhost), as a worker would use it
        url = celery_live_app.connection_for_write().as_uri(include_password=True)
    kind = selection.broker_kind(url)
    try:
        with celery_live_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:  # sorted below: absent (skip) or misconfigured (fail)
        where = f"{kind} broker at {maybe_sanitize_url(url)}"
        if nothing_listens(exc):
            missing(f"live tier needs the {where}: nothing listens there ({exc})")
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        pytest.fail(
            f"celery_live: the {where} refused the run ({reason}); fix {broker_setting()}",
            pytrace=False,
        )
    return url


def nothing_listens(exc: BaseException) -> bool:
    """Whether a failed connection means no server at that address (not a refusal by one)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return True
        if isinstance(current, OSError) and current.errno == errno.ECONNREFUSED:
            return True
        if "Connection refused" in str(current) and "Errno 111" in str(current):
            return True  # redis-py words ECONNREFUSED into its own ConnectionError
        current = current.__cause__ or current.__context__
    return False


# --- the database a worker process shares with the tests ----------------------------------


@pytest.fixture(scope="session")
def _celery_live_test_databases(request: pytest.FixtureRequest) -> Iterator[None]:
    """pytest-django's test databases, and at the end no session of ours left on them.

    Set up after ``django_db_setup``, so torn down before it: a PostgreSQL test database cannot
    be dropped while a session is still on it, and the in-process worker's threads keep theirs
    (``CONN_MAX_AGE``; Celery no longer closes them after each task with ``CELERY_DB_REUSE_MAX``).
    pytest-django then warned "is being accessed by other users" and left the database behind.
    """
    request.getfixturevalue("django_db_setup")
    yield
    from django.db import connections

    with request.getfixturevalue("django_db_blocker").unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="session")
def celery_live_databases(request: pytest.FixtureRequest) -> dict[str, str]:
    """The test databases pytest-django made, by alias, for worker processes to open."""
    if not _django(request):
        return {}
    request.getfixturevalue("_celery_live_test_databases")
    from django.conf import settings

    return {alias: str(db["NAME"]) for alias, db in settings.DATABASES.items()}


@pytest.fixture
def celery_live_db() -> None:
    """Without pytest-django there is no test database to share (see ``DjangoDatabase``)."""


class DjangoDatabase:
    """Registered when pytest-django runs: live tests commit for real, so a worker sees rows.

    A static dependency on ``transactional_db``: asked for through ``getfixturevalue`` inside a
    fixture, pytest-django left this process on the development database.
    """

    @pytest.fixture
    def celery_live_db(self, transactional_db: None) -> None:
        """Commit for real in a live test, so a worker process sees the rows."""


# The plugin's markers, as `pytest --markers` and the docs' reference list them.
MARKERS = (
    "celery_live_broker(kind): only for a run on that broker kind (rabbitmq, redis, embedded); "
    "deselected in a run on another",
    "celery_live_backend(kind): only for a run on that result backend kind (redis, django-db, "
    "rpc); deselected in a run on another",
)


def pytest_configure(config: pytest.Config) -> None:
    """Share pytest-django's test database with workers when pytest-django runs."""
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    run_id(config)
    ci = config.getoption("celery_live_ci", None)
    ini = config.getini("celery_live_ci")
    live.REQUIRE_SERVICES = ci if ci is not None else ini if ini is not None else live.ci_default()
    if django_configured(config):
        config.pluginmanager.register(DjangoDatabase(), "celery_live_django")
        file_test_databases(config)


def file_test_databases(config: pytest.Config) -> None:
    """Give each in-memory SQLite test database a file of the run's own, before any is made.

    Django's default test database for SQLite lives in memory, which no worker process can open.
    As pytest-django renames test databases for xdist, the run renames it here (the dict Django's
    connections hold, so a connection made already sees it too); the project's settings stay as
    they are. The folder is removed at the end of the run.
    """
    from django.conf import settings

    folder: Path | None = None
    for alias, db in settings.DATABASES.items():
        test = db.setdefault("TEST", {})
        name = str(test.get("NAME") or ":memory:")
        if not str(db.get("ENGINE", "")).endswith("sqlite3"):
            continue
        if name != ":memory:" and "mode=memory" not in name:
            continue
        folder = folder or Path(tempfile.mkdtemp(prefix="celery-live-db-"))
        test["NAME"] = str(folder / f"test-{alias}.sqlite3")
    if folder is not None:
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_report_header(config: pytest.Config) -> str:
    """The run id, and what to run should this run be killed before it cleans up."""
    run_id = config.stash[RUN_ID]
    return f"celery_live: run {run_id} (if killed: python -m pytest_celery_live.cleanup {run_id})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect tests marked for another broker or backend kind than this run's (said after)."""
    broker, backend = selection.chosen()
    chosen = {
        "celery_live_broker": broker and selection.broker_kind(broker),
        "celery_live_backend": backend and selection.backend_kind(backend),
    }
    reasons: list[str] = []
    for marker, kind in chosen.items():
        if not kind:
            continue  # no choice made: the project's own configuration stands, nothing to compare
        other = [
            item
            for item in items
            if (mark := item.get_closest_marker(marker)) and kind not in mark.args
        ]
        if other:
            config.hook.pytest_deselected(items=other)
            items[:] = [item for item in items if item not in other]
            what = marker.removeprefix("celery_live_")
            reasons.append(
                f"{len(other)} test(s) deselected: marked for another {what} than {kind}"
            )
    config.stash[DESELECTED] = reasons


# The fixtures that start a worker process: a run that collected none of them needs no spare.
WORKER_FIXTURES = frozenset(
    {"celery_live_proc_worker", "celery_live_spawn_worker", "celery_live_any_worker",
     "celery_live_own_workers"}
)  # fmt: skip


def pytest_collection_finish(session: pytest.Session) -> None:
    """Drop the warm spare when no collected test will start a worker process."""
    names = (getattr(item, "fixturenames", ()) for item in session.items)
    if not any(WORKER_FIXTURES.intersection(fixtures) for fixtures in names):
        SPARES.drop()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Say why tests marked for another broker or backend did not run: nobody reads it as a pass."""
    for reason in config.stash.get(DESELECTED, []):
        terminalreporter.write_line(f"celery_live: {reason}")


# --- worker processes ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_live_worker_factory(
    request: pytest.FixtureRequest,
    celery_live_app: Celery,
    celery_live_dir: Path,
    celery_live_conf: dict[str, object],
    celery_live_databases: dict[str, str],
    celery_live_worker_env: dict[str, str],
    celery_live_run_id: str,
) -> Callable[..., WorkerProcess]:
    """Make (not start) a worker process of this run: ``make(queue, name, pool, c, env)``."""
    include = request.config.getini("celery_live_include")
    extra = ("--include", ",".join(include)) if include else ()
    # The worker uses what this process uses (Celery prefers these variables to any setting).
    conf = celery_live_app.conf
    same = {"CELERY_BROKER_URL": conf.broker_url, "CELERY_RESULT_BACKEND": conf.result_backend}
    same = {key: str(value) for key, value in same.items() if value}

    def make(
        queue: str, name: str, pool: str, concurrency: int, env: dict[str, str]
    ) -> WorkerProcess:
        return WorkerProcess(
            hostname=f"celery-live-{celery_live_run_id}-{name}-{os.urandom(2).hex()}@%h",
            app=celery_live_app,
            queue=queue,
            log_path=log_path(celery_live_dir, name),
            pool=pool,
            concurrency=concurrency,
            env={**same, **celery_live_worker_env, **env},
            extra_args=extra,
            cwd=Path(request.config.rootpath),
            app_path=request.config.getini("celery_live_app"),
            conf=celery_live_conf,
            databases=celery_live_databases,
        )

    return make


@pytest.fixture(scope="session")
def celery_live_spawn_worker(
    celery_live_broker_url: str,
    celery_live_queue: str,
    celery_live_worker_factory: Callable[..., WorkerProcess],
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start (once per run) a ``celery worker`` process with a given pool and concurrency."""
    workers: dict[tuple[str, int], WorkerProcess] = {}

    def spawn(pool: str = "prefork", concurrency: int = 2) -> WorkerProcess:
        key = (pool, concurrency)
        if key not in workers:
            name = f"{pool}{concurrency}"
            workers[key] = celery_live_worker_factory(
                f"{celery_live_queue}-{name}", name, pool, concurrency, {}
            )
            workers[key].start(ready_timeout=60)
        return workers[key]

    yield spawn
    for worker in workers.values():
        worker.stop_fast()


@pytest.fixture
def celery_live_proc_worker(
    celery_live_db: None,
    celery_live_app: Celery,
    celery_live_spawn_worker: Callable[..., WorkerProcess],
) -> Iterator[LiveWorker]:
    """The session's prefork worker (2 children), with this test's tasks routed to it."""
    with serve(celery_live_app, celery_live_spawn_worker("prefork", 2)) as live:
        yield live


@pytest.fixture
def celery_live_own_workers(
    celery_live_db: None,
    celery_live_broker_url: str,
    celery_live_app: Celery,
    celery_live_queue: str,
    celery_live_worker_factory: Callable[..., WorkerProcess],
) -> Iterator[OwnWorkers]:
    """Workers of this test alone, to kill and replace (the session's workers must survive)."""
    queue = f"{celery_live_queue}-own-{os.urandom(3).hex()}"
    workers = OwnWorkers(celery_live_app, queue, celery_live_worker_factory, {})
    with use_queue(celery_live_app, queue):
        yield workers
    workers.kill_all()


# --- the in-process worker ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def _celery_live_inproc_session(
    request: pytest.FixtureRequest,
    celery_live_broker_url: str,
    celery_live_app: Celery,
    celery_live_queue: str,
) -> Iterator[str]:
    """One in-process worker (threads in this process) for the whole run.

    Its threads store results between tests too, so the database stays unblocked for them.
    """
    queue = f"{celery_live_queue}-inproc"
    saved = celery_live_app.conf.task_default_queue
    celery_live_app.conf.task_default_queue = queue
    unblock = _unblocked_db(request)
    try:
        with unblock, inproc_worker(celery_live_app, queue, concurrency=4):
            yield queue
    finally:
        celery_live_app.conf.task_default_queue = saved


def _unblocked_db(request: pytest.FixtureRequest) -> AbstractContextManager[object]:
    """pytest-django's database unblocked for worker threads (a no-op without pytest-django)."""
    from contextlib import nullcontext

    if not _django(request):
        return nullcontext()
    request.getfixturevalue("_celery_live_test_databases")
    unblocked: AbstractContextManager[object] = request.getfixturevalue(
        "django_db_blocker"
    ).unblock()
    return unblocked


@pytest.fixture
def celery_live_inproc_worker(
    celery_live_db: None, celery_live_app: Celery, _celery_live_inproc_session: str
) -> Iterator[LiveWorker]:
    """The session's in-process worker, with this test's tasks routed to it."""
    with use_queue(celery_live_app, _celery_live_inproc_session):
        yield LiveWorker("in-process worker (threads of this process)", _celery_live_inproc_session)


@pytest.fixture(params=["inproc", "subprocess"])
def celery_live_any_worker(request: pytest.FixtureRequest, celery_live_db: None) -> LiveWorker:
    """The same contract on both live tiers."""
    name = "celery_live_inproc_worker" if request.param == "inproc" else "celery_live_proc_worker"
    worker: LiveWorker = request.getfixturevalue(name)
    return worker


# --- a broker of the test's own -----------------------------------------------------------------


@pytest.fixture
def celery_live_private_broker(
    request: pytest.FixtureRequest, celery_live_broker_url: str, tmp_path: Path
) -> Iterator[PrivateBroker]:
    """A broker server of the run's kind, on its own port and data folder, for a test to crash."""
    kind = selection.broker_kind(celery_live_broker_url)
    if kind not in ("rabbitmq", "redis"):
        pytest.fail(f"no private broker for a {kind} broker: rabbitmq or redis", pytrace=False)
    server = request.config.getoption(f"celery_live_{kind}_server")
    broker = PrivateBroker(kind, tmp_path / "broker", server=server).start()
    yield broker
    broker.crash()


@pytest.fixture(scope="module")
def celery_live_rabbitmq_cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RabbitMQCluster]:
    """Three private RabbitMQ nodes in one cluster, started once per module, killed after it.

    Module-scoped: a cluster takes tens of seconds to form. A test that may follow one that
    killed a node asks for ``cluster.heal()`` first (the killed node starts again and rejoins).
    """
    server = request.config.getoption("celery_live_rabbitmq_server")
    try:
        find_server("rabbitmq", server)
    except RuntimeError as exc:
        missing(f"a RabbitMQ cluster needs the RabbitMQ server program: {exc}")
    cluster = RabbitMQCluster(tmp_path_factory.mktemp("rabbitmq-cluster"), server=server)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
