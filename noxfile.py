"""Every way the project is checked: `nox` runs lint, unit, each live broker/backend pair, e2e."""

import os
import socket

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_external_run = True
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "unit", "integration", "e2e", "faults"]

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


def install(session: nox.Session, *groups: str, extras: str = "") -> None:
    """The project itself (with ``extras``) plus the named dependency groups of pyproject.toml."""
    project = f".[{extras}]" if extras else "."
    session.install("-e", project, *nox.project.dependency_groups(PYPROJECT, *groups))


def tier_args(session: nox.Session, folder: str) -> list[str]:
    """pytest's arguments: the tier's folder, unless the posargs name test files of their own."""
    named = any(arg.startswith("tests/") for arg in session.posargs)
    return list(session.posargs) if named else [folder, *session.posargs]


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
    install(session)
    session.run("python", "-m", "bench.run", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job on the embedded defaults, offline: a real worker builds a real report."""
    install(session)
    session.run("python", "manage.py", "demo", *session.posargs)
