"""Is the result store there? Asked before a person's send, for backends that are asked at send.

Celery's Redis result backend subscribes to a task's result when the task is *sent*
(``on_task_call``), and rides out a dead Redis with its retry policy (about 20 s by default)
before the send even starts: a web request waited 38 s, then said the task queue was down. A
worker should keep that patience (a result lost in a Redis blip is a report that never ends); a
person should not. So a person's send first asks Redis once, with short timeouts and no retries.
"""

from __future__ import annotations

import logging
import re

import redis
from celery import Celery
from celery.backends.redis import RedisBackend
from celery.signals import worker_ready
from redis.backoff import NoBackoff
from redis.retry import Retry

# How long a person's request waits for the result store's answer before calling it unavailable.
RESULT_STORE_TIMEOUT = 1.0
# A password inside a URL (scheme://user:password@host), never logged.
URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
logger = logging.getLogger(__name__)


def result_store_problem(app: Celery) -> BaseException | None:
    """The error of one quick PING to a Redis result backend, or None (reachable, or not Redis)."""
    backend = app.backend
    if not isinstance(backend, RedisBackend):
        return None  # django-db is the database the request already wrote to; rpc is the broker
    params = {
        **backend.connparams,  # type: ignore[attr-defined]  # set in __init__; celery-types omits it
        "socket_connect_timeout": RESULT_STORE_TIMEOUT,
        "socket_timeout": RESULT_STORE_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),
    }
    pool = redis.ConnectionPool(**params)
    try:
        redis.Redis(connection_pool=pool).ping()
    except redis.RedisError as exc:
        return exc
    finally:
        pool.disconnect()
    return None


@worker_ready.connect
def _say_when_the_result_store_is_down(sender: object = None, **kwargs: object) -> None:
    """A worker whose Redis result store is down would fail every report: say so once, at start.

    As a worker on a database it cannot open does (tables.py); before, it said "ready." only.
    """
    app = getattr(sender, "app", None)
    if not isinstance(app, Celery):
        return
    problem = result_store_problem(app)
    if problem is None:
        return
    url = URL_PASSWORD.sub(r"\1***@", str(app.conf.result_backend))
    first = (str(problem).strip().splitlines() or [type(problem).__name__])[0][:300]
    logger.error("cannot reach the result store %s (%s); every report will fail until it answers",
                 url, first)  # fmt: skip
