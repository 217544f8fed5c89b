"""One broker's measurements, in a process configured for that broker; prints JSON on stdout.

``python -m bench.measure --broker rabbitmq compare overhead rtt errors`` (run by ``bench.run``; the
broker is fixed when Django's settings load, so each broker gets its own process). Every figure
is a list of repetitions; ``bench.run`` turns them into ratios, medians, minima and maxima.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_LATENCY = 0.3  # seconds the replay server adds to every GitHub page
STALL = 2.0  # seconds the stalled SMTP server holds each message
# How often a result is polled for on backends without push (django-db: Celery's default is
# 0.5 s, which would round every wall time up to it); Redis results arrive by pub/sub anyway.
POLL = 0.005


def setup_django(broker: str, backend: str = "redis") -> None:
    """Settings for one broker, result backend and database (DATABASE_URL, set by the caller).

    Redis results by default: pub/sub, so the broker and the database are what differ.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["CELERY_LIVE_BROKER"] = broker
    os.environ["CELERY_LIVE_BACKEND"] = backend
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def services(
    pool: str = "threads", concurrency: int = 8, log_level: str = "WARNING"
) -> Iterator[dict]:
    """The replay server (slow pages), a stalled SMTP server, and the recommended worker."""
    from django.conf import settings
    from pytest_celery_live.brokers import free_port
    from pytest_celery_live.workers import WorkerProcess

    import bench.tasks  # noqa: F401  (registered here too, for apply_async)
    from celery_uncovered import celery_app
    from celery_uncovered.devservers.mailcatcher import Mailbox, MailCatcher
    from celery_uncovered.devservers.replay import ReplayServer

    class StalledMailbox(Mailbox):
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
            await asyncio.sleep(STALL)
            return await super().handle_DATA(server, session, envelope)

    replay = ReplayServer().start_in_thread()
    replay.state.latency = PAGE_LATENCY
    smtp = MailCatcher(port=free_port(), mailbox=StalledMailbox()).start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp.host, smtp.port
    worker = WorkerProcess(
        app=celery_app,
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        log_path=Path(settings.TEST_VAR_DIR) / "bench-worker.log",
        pool=pool,
        concurrency=concurrency,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TEST_RUN_ID": settings.TEST_RUN_ID,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "GITHUB_API_URL": replay.url,
            "EMAIL_HOST": smtp.host,
            "EMAIL_PORT": str(smtp.port),
            "LOG_LEVEL": log_level,
        },
        extra_args=("--include", "bench.tasks", "-l", log_level),
        cwd=ROOT,
    ).start(ready_timeout=60)
    try:
        yield {"replay": replay, "smtp": smtp, "worker": worker}
    finally:
        worker.stop()
        smtp.stop()
        replay.stop()


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def plain_chord() -> object:
    """The baseline: five bare fetches chorded into a count, on the same app and worker."""
    from celery import chord

    from bench.tasks import count_pages, plain_fetch

    return chord(plain_fetch.s(page) for page in range(1, 6))(count_pages.s())


def compare(reps: int, log: Path | None = None) -> dict[str, list]:
    """The project's report and the plain chord, alternated (who goes first alternates too).

    ``project`` and ``plain`` hold ``reps`` wall times each, from the call to the result in
    hand; a hiccup of the machine lands on both sides alike. ``first`` is the very first report
    after the worker started (its pool children cold), before any warm-up. ``phases``: where
    each project report's time went, from the worker's log (``bench.timeline``) when it logs
    at INFO.
    """
    from bench.timeline import report_timelines
    from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report

    ids: list[str] = []

    def project() -> None:
        result = produce_hot_repo_report.delay("week", "2026-11-24")
        result.get(timeout=60, interval=POLL)
        ids.append(result.id)

    def plain() -> None:
        assert plain_chord().get(timeout=60, interval=POLL) == 5

    kinds = {"project": project, "plain": plain}
    first = timed(project)
    for call in kinds.values():  # warm-up: every pool child, connections, first writes
        for _ in range(3):
            call()
    del ids[:]
    out: dict[str, list] = {kind: [] for kind in kinds}
    for rep in range(reps):
        order = list(kinds) if rep % 2 == 0 else list(reversed(kinds))
        for kind in order:
            out[kind].append(timed(kinds[kind]))
    out["first"] = [first]
    if log is not None:
        time.sleep(0.5)  # the body's last log line
        timelines = report_timelines(log)
        out["phases"] = [timelines[i].seconds if i in timelines else None for i in ids]
    return out


def overhead(reps: int, calls: int = 150, burst: int = 1000) -> dict[str, dict[str, list[float]]]:
    """Round trip and throughput of a no-op, per base class, measured side by side.

    Round trips alternate call by call (plain, logging, scoped, plain, ...), so a hiccup of the
    machine lands on all three alike; bursts rotate which kind goes first in each repetition.
    """
    from celery.result import ResultSet

    from bench.tasks import logging_noop, plain_noop, scoped_noop

    kinds = {"plain": plain_noop, "logging": logging_noop, "scoped": scoped_noop}
    names = list(kinds)
    out = {kind: {"rtt": [], "throughput": []} for kind in kinds}
    for task in kinds.values():  # warm-up
        for _ in range(20):
            task.delay().get(timeout=10)
    for rep in range(reps):
        rtts: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(calls):
            for kind, task in kinds.items():
                rtts[kind].append(timed(lambda t=task: t.delay().get(timeout=10)))
        for kind in kinds:
            out[kind]["rtt"].append(statistics.median(rtts[kind]))
        for kind in names[rep % 3 :] + names[: rep % 3]:
            started = time.perf_counter()
            results = ResultSet([kinds[kind].delay() for _ in range(burst)])
            results.join_native(timeout=60, propagate=True)
            out[kind]["throughput"].append(burst / (time.perf_counter() - started))
    return out


# Workers that differ from the project's by one setting each, then Celery's defaults. The
# settings a worker reads when it starts go in its ``conf``; ``task_track_started`` and
# ``task_acks_late`` are bound to each task when the app is finalized, so they are compared
# through no-ops declared with the other value (bench/tasks.py).
SETTINGS_WORKERS = {
    "project": {},
    "prefetch 4": {"worker_prefetch_multiplier": 4},
    "not extended": {"result_extended": False},
    "defaults": {"worker_prefetch_multiplier": 4, "result_extended": False},
}
# (worker, task) pairs measured, the name each row is shown under.
SETTINGS_ROWS = {
    "project's settings": ("project", "bench.tasks.plain_noop"),
    "- prefetch multiplier 4 (Celery's), not 1": ("prefetch 4", "bench.tasks.plain_noop"),
    "- result_extended off (Celery's)": ("not extended", "bench.tasks.plain_noop"),
    "- task_track_started off (Celery's)": ("project", "bench.tasks.untracked_noop"),
    "+ acks_late (the fetch's, the e-mail's)": ("project", "bench.tasks.late_noop"),
    "Celery's defaults": ("defaults", "bench.tasks.untracked_noop"),
}


def drain_rate(worker: object, task_name: str, burst: int) -> float:
    """No-ops per second the worker gets through: the burst is queued while it does not consume,
    so the client's publishing (about 2 ms a message here) is not what is measured."""
    from celery.result import ResultSet

    from celery_uncovered import celery_app

    control = celery_app.control
    control.cancel_consumer(worker.queue, destination=[worker.node_name], reply=True)
    sent = ResultSet([celery_app.send_task(task_name, queue=worker.queue) for _ in range(burst)])
    started = time.perf_counter()
    control.add_consumer(worker.queue, destination=[worker.node_name], reply=True)
    sent.join_native(timeout=120, propagate=True)
    return burst / (time.perf_counter() - started)


def settings_cost(reps: int, burst: int = 600) -> dict[str, list[float]]:
    """No-ops per second in bursts, on the same pool, one worker per setting changed."""
    from celery.result import ResultSet
    from django.conf import settings
    from pytest_celery_live.workers import WorkerProcess

    from celery_uncovered import celery_app

    out: dict[str, list[float]] = {row: [] for row in SETTINGS_ROWS}
    for worker_name, conf in SETTINGS_WORKERS.items():
        rows = {row: task for row, (name, task) in SETTINGS_ROWS.items() if name == worker_name}
        worker = WorkerProcess(
            app=celery_app,
            queue=f"{settings.CELERY_TASK_DEFAULT_QUEUE}-settings",
            log_path=Path(settings.TEST_VAR_DIR) / "bench-settings-worker.log",
            pool=BENCH_POOL["pool"],
            concurrency=BENCH_POOL["concurrency"],
            conf=conf,
            env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "LOG_LEVEL": "WARNING",
                 "TEST_RUN_ID": settings.TEST_RUN_ID,
                 "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                 "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND},
            extra_args=("--include", "bench.tasks", "-l", "WARNING"),
            cwd=ROOT,
        ).start(ready_timeout=60)  # fmt: skip
        try:
            queue = worker.queue
            for name in rows.values():  # warm-up
                ResultSet([celery_app.send_task(name, queue=queue) for _ in range(50)]).join_native(
                    timeout=60
                )
            for rep in range(reps):
                order = list(rows)[rep % len(rows) :] + list(rows)[: rep % len(rows)]
                for row in order:
                    out[row].append(drain_rate(worker, rows[row], burst))
        finally:
            worker.stop()
    return out


def rtt(reps: int, calls: int = 50) -> list[float]:
    """Round trip of a plain no-op on this broker: median of ``calls`` per repetition."""
    from bench.tasks import plain_noop

    for _ in range(10):
        plain_noop.delay().get(timeout=10)
    return [
        statistics.median(timed(lambda: plain_noop.delay().get(timeout=10)) for _ in range(calls))
        for _ in range(reps)
    ]


def errors(reps: int) -> dict[str, list[float]]:
    """Response time of /report-error: CeleryHandler queues the mail, stock Django sends it."""
    from django.test import Client, override_settings
    from django.utils.log import AdminEmailHandler

    from celery_uncovered.toyex.errormail.mail import CeleryHandler

    django_logger = logging.getLogger("django")
    [ours] = [h for h in django_logger.handlers if isinstance(h, CeleryHandler)]
    stock = AdminEmailHandler()
    stock.setLevel(ours.level)
    stock.filters = list(ours.filters)
    client = Client(raise_request_exception=False)

    def request() -> None:
        assert client.get("/report-error").status_code == 500

    out = {"celery": [], "stock": []}
    with override_settings(DEBUG=False, REPORT_ERROR_VIEW=True):
        request()  # warm-up (through CeleryHandler)
        for _ in range(reps):
            out["celery"].append(timed(request))
            django_logger.removeHandler(ours)
            django_logger.addHandler(stock)
            try:
                out["stock"].append(timed(request))
            finally:
                django_logger.removeHandler(stock)
                django_logger.addHandler(ours)
    return out


MEASUREMENTS = {
    "compare": compare,
    "overhead": overhead,
    "rtt": rtt,
    "errors": errors,
    "settings": settings_cost,
}
# The pool the settings figure uses: the one the worker under measurement runs (set in main).
BENCH_POOL = {"pool": "prefork", "concurrency": 6}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--broker", required=True, choices=["rabbitmq", "redis", "embedded"])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--pool", default="threads", help="worker pool (to try others)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--backend", default="redis", choices=["redis", "django-db"])
    parser.add_argument("--log-level", default="WARNING", help="the worker's (INFO: a line a task)")
    parser.add_argument("figures", nargs="+", choices=sorted(MEASUREMENTS))
    args = parser.parse_args(argv)
    setup_django(args.broker, args.backend)
    BENCH_POOL.update(pool=args.pool, concurrency=args.concurrency)
    with services(args.pool, args.concurrency, args.log_level) as running:
        log = running["worker"].log_path if args.log_level == "INFO" else None
        out = {
            figure: compare(args.reps, log)
            if figure == "compare"
            else MEASUREMENTS[figure](args.reps)
            for figure in args.figures
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
