"""Every way the project is checked: `nox` runs lint, unit, programs, live pairs, e2e, faults."""

import os
import socket

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_external_run = True
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = [
    "lint",
    "unit",
    "programs",
    "plugin",
    "plugin_versions",
    "integration",
    "e2e",
    "faults",
    "docs",
]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# (broker, result backend, database) the live tier runs on; "embedded" is the no-service default,
# SQLite the default database, PostgreSQL the production one.
LIVE_COMBOS = [
    ("rabbitmq", "redis", "sqlite"),
    ("rabbitmq", "django-db", "sqlite"),
    ("redis", "redis", "sqlite"),
    ("redis", "django-db", "sqlite"),
    ("embedded", "django-db", "sqlite"),
    ("rabbitmq", "django-db", "postgres"),
    ("redis", "redis", "postgres"),
]
# The server every PostgreSQL session uses; each run creates (and drops) its own test database.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def live_id(broker: str, backend: str, database: str) -> str:
    return f"{broker}-{backend}" + ("" if database == "sqlite" else f"-{database}")


def database_env(session: nox.Session, database: str) -> dict[str, str]:
    """DATABASE_URL for the session; a PostgreSQL session without a server skips (CI: fails)."""
    if database == "sqlite":
        return {}
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=3).close()
    except OSError as exc:
        message = f"needs PostgreSQL on 127.0.0.1:5432 ({exc}); see the README"
        session.error(message) if IN_CI else session.skip(message)
    return {"DATABASE_URL": POSTGRES_URL}


# The live harness, pytest-celery-live, installed from its folder as any project would install it.
PLUGIN = ("-e", "./plugin[django]")


def install(session: nox.Session, *groups: str, extras: str = "") -> None:
    """The project (with ``extras``) plus the named dependency groups (and the plugin for tests)."""
    project = f".[{extras}]" if extras else "."
    plugin = PLUGIN if {"test", "lint", "e2e", "dev", "docs"} & set(groups) else ()
    session.install("-e", project, *plugin, *nox.project.dependency_groups(PYPROJECT, *groups))


# Each tier's deadline per test, in seconds (pytest-timeout; pyproject.toml's 300 is the ceiling):
# a hung test fails naming itself, with every thread's stack, and the tier goes on.
TIMEOUTS = {"tests/unit": 60, "tests/programs": 180}


def tier_args(session: nox.Session, folder: str) -> list[str]:
    """pytest's arguments: the tier's folder, unless the posargs name test files of their own."""
    named = any(arg.startswith("tests/") for arg in session.posargs)
    deadline = [f"--timeout={TIMEOUTS[folder]}"] if folder in TIMEOUTS else []
    return [*deadline, *session.posargs] if named else [folder, *deadline, *session.posargs]


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, lint and format; then mypy, strict on the package (pyproject's [tool.mypy])."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def unit(session: nox.Session) -> None:
    """The fast tier: plain functions and eager tasks, no broker."""
    install(session, "test")
    session.run("pytest", *tier_args(session, "tests/unit"))


@nox.session
def programs(session: nox.Session) -> None:
    """The tier that starts programs: manage.py, celery worker/beat, a child pytest, the wheel."""
    install(session, "test")
    session.run("pytest", *tier_args(session, "tests/programs"))


@nox.session
@nox.parametrize(
    ("broker", "backend", "database"), LIVE_COMBOS, ids=[live_id(*c) for c in LIVE_COMBOS]
)
def integration(session: nox.Session, broker: str, backend: str, database: str) -> None:
    """The live tier: real workers on a real broker, on SQLite or PostgreSQL."""
    env = {
        "CELERY_LIVE_BROKER": broker,
        "CELERY_LIVE_BACKEND": backend,
        **database_env(session, database),
    }
    # The production extra (gunicorn): the production live test runs the README's web command.
    install(session, "test", extras="production")
    session.run("pytest", *tier_args(session, "tests/integration"), env=env)


# The browser tier runs on the stack the README recommends for production.
E2E_STACK = {"CELERY_LIVE_BROKER": "rabbitmq", "CELERY_LIVE_BACKEND": "django-db"}


@nox.session
def e2e(session: nox.Session) -> None:
    """The report page in Debian's Chromium (Playwright) on a live server and a real worker."""
    install(session, "e2e")
    session.run("pytest", *tier_args(session, "tests/e2e"), env=E2E_STACK)


# The fault tier's settings: short enough that a test waits out each fault in seconds, and
# consistent with the guard in config/settings/base.py (visibility timeout > longest hold: 7 s).
FAULT_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": "8",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "GITHUB_MAX_WAIT": "5",
    "GITHUB_BACKOFF_CAP": "2",
    "GITHUB_FETCH_TIME_LIMIT": "7",
    "GITHUB_CONNECT_TIMEOUT": "2",
    "GITHUB_READ_TIMEOUT": "2",
    "GITHUB_TOKEN": "ghp_faultTierTokenThatMustNeverLeak0123",
    "MAIL_RETRY_CAP": "2",
    # Off, as in the test settings: base.py's guard counts the window (a countdown) against 8 s.
    "ERROR_MAIL_WINDOW": "0",
}
FAULT_BROKERS = ["rabbitmq", "redis"]


@nox.session
@nox.parametrize("broker", FAULT_BROKERS, ids=FAULT_BROKERS)
def faults(session: nox.Session, broker: str) -> None:
    """The fault tier: kill workers, crash a private broker, stop SMTP, replay GitHub's errors."""
    install(session, "test")
    session.run(
        "pytest", *tier_args(session, "tests/faults"),
        env={**FAULT_ENV, "CELERY_LIVE_BROKER": broker, "CELERY_LIVE_BACKEND": "django-db"},
    )  # fmt: skip


@nox.session
def bench(session: nox.Session) -> None:
    """Ratios of what the pipeline and the base tasks cost (not part of plain `nox`)."""
    install(session, "bench")
    session.install(*PLUGIN)  # WorkerProcess starts the benchmark's workers
    session.run("python", "-m", "bench.run", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site; a warning fails it. `nox -s docs -- serve` serves it on :8001."""
    install(session, "docs")
    build = [
        "sphinx-build",
        "-E",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
    ]
    session.run(*build)
    if "serve" in session.posargs:
        session.run(
            "python", "-m", "http.server", "8001", "-b", "127.0.0.1", "-d", "docs/_build/html"
        )


@nox.session
def demo(session: nox.Session) -> None:
    """The main job on the embedded defaults, offline: a real worker builds a real report."""
    install(session)
    session.run("python", "manage.py", "demo", *session.posargs)


# The plugin's own tests (plugin/tests): pytester projects on each broker, results in Redis.
# Its deadline (docs/testing.md, section 19) is set here, from outside the plugin's files.
PLUGIN_DEADLINE = ["--timeout=300", "-o", "timeout_method=signal"]
PLUGIN_BROKERS = ["rabbitmq", "redis", "embedded"]


@nox.session
@nox.parametrize("broker", PLUGIN_BROKERS, ids=PLUGIN_BROKERS)
def plugin(session: nox.Session, broker: str) -> None:
    """pytest-celery-live on its own: installed alone (no app), proven by pytester projects."""
    session.install("-e", "./plugin[django,redis]", "django", "pytest-timeout>=2.4,<3")
    session.chdir("plugin")
    env = {"CELERY_LIVE_BROKER": broker, "CELERY_LIVE_BACKEND": "redis"}
    session.run("pytest", *PLUGIN_DEADLINE, *session.posargs, env=env)


# The plugin on the versions people have: each Django line it claims beside each Celery minor.
PLUGIN_MATRIX = [
    (django, celery) for django in ("4.2", "5.2") for celery in ("5.4", "5.5", "5.6", "5.7")
]


@nox.session
@nox.parametrize(
    ("django", "celery"), PLUGIN_MATRIX, ids=[f"django{d}-celery{c}" for d, c in PLUGIN_MATRIX]
)
def plugin_versions(session: nox.Session, django: str, celery: str) -> None:
    """The plugin's stock-Django and beside-Celery's-plugin proofs on one version pair (Redis)."""
    session.install(
        "-e", "./plugin[django,redis]", f"django=={django}.*", f"celery=={celery}.*",
        f"kombu=={celery}.*", "pytest-timeout>=2.4,<3",
    )  # fmt: skip
    session.run("python", "-c", "import celery, django; print('celery', celery.__version__, "
                "'django', django.get_version())")  # fmt: skip
    session.chdir("plugin")
    env = {"CELERY_LIVE_BROKER": "redis", "CELERY_LIVE_BACKEND": "redis"}
    session.run(
        "pytest", *PLUGIN_DEADLINE, "tests/test_django_projects.py", "tests/test_beside_others.py",
        "tests/test_edges.py", *session.posargs, env=env,
    )  # fmt: skip
