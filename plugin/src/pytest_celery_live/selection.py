"""Which broker and result backend a test run uses: a name or a URL, chosen once per run.

Names are shortcuts for the services a developer runs locally; a URL is taken as it is. Redis
gets databases 14 (broker) and 15 (results) so a run never touches database 0 of a development
worker. The choice travels in ``CELERY_LIVE_BROKER`` / ``CELERY_LIVE_BACKEND`` — not
``TEST_BROKER``, which ``celery.contrib.testing.worker.start_worker`` reads as a URL.
"""

from __future__ import annotations

import os

BROKERS = {
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
    "redis": "redis://127.0.0.1:6379/14",
    "embedded": "filesystem://localhost/",
}
BACKENDS = {"redis": "redis://127.0.0.1:6379/15", "django-db": "django-db", "rpc": "rpc://"}
BROKER_ENV, BACKEND_ENV = "CELERY_LIVE_BROKER", "CELERY_LIVE_BACKEND"
KINDS = {"amqp": "rabbitmq", "pyamqp": "rabbitmq", "redis": "redis", "rediss": "redis"}


def resolve(choice: str, known: dict[str, str]) -> str:
    """The URL for a name of ``known`` or a URL; anything else is a mistake worth a clear error."""
    if choice in known:
        return known[choice]
    if "://" in choice or choice == "django-db":
        return choice
    raise ValueError(f"unknown choice {choice!r}: one of {sorted(known)} or a URL")


def broker_url(choice: str) -> str:
    """The broker URL for ``rabbitmq``, ``redis``, ``embedded`` or a URL."""
    return resolve(choice, BROKERS)


def backend_url(choice: str) -> str:
    """The result backend URL for ``redis``, ``django-db``, ``rpc`` or a URL."""
    return resolve(choice, BACKENDS)


def broker_kind(url: str) -> str:
    """``rabbitmq``, ``redis`` or ``embedded`` for a broker URL (else its scheme)."""
    scheme = url.split("://", 1)[0].split("+")[0]
    return "embedded" if scheme == "filesystem" else KINDS.get(scheme, scheme)


def backend_kind(url: str) -> str:
    """``redis``, ``django-db``, ``rpc`` for a result backend URL (else its scheme)."""
    if url == "django-db":
        return url
    scheme = url.split("://", 1)[0].split("+")[0]
    return "redis" if scheme in ("redis", "rediss") else scheme


def export(broker: str | None, backend: str | None) -> None:
    """Put the run's choice in the environment, for settings and child processes to read.

    Not as ``CELERY_BROKER_URL``: Celery prefers that variable to any configuration, so a test's
    own app on another broker (a private one to crash) would silently use the run's.
    """
    if broker:
        broker_url(broker)  # a typo fails here, before anything starts
        os.environ[BROKER_ENV] = broker
    if backend:
        backend_url(backend)
        os.environ[BACKEND_ENV] = backend


def chosen() -> tuple[str | None, str | None]:
    """The run's broker and backend URLs, or None where the project's configuration stands."""
    broker, backend = os.environ.get(BROKER_ENV), os.environ.get(BACKEND_ENV)
    return (broker and broker_url(broker)), (backend and backend_url(backend))
