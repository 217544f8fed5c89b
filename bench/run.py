"""`nox -s bench`: every figure of issue #9 in one run, as ratios; the table goes to stdout and to
bench/results.md. Nothing here is a test: the suite never asserts a duration.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import version

from bench.measure import PAGE_LATENCY, ROOT, STALL

RESULTS = ROOT / "bench" / "results.md"
RECOMMENDED = ("prefork", 6)  # the worker the README recommends for the report
ALTERNATIVES = [("threads", 8)]  # measured beside it, so the table shows what was tried
BUILDER_SIZES = (500, 5_000, 50_000)
LANGUAGES = [*(f"Lang{i}" for i in range(40)), None]


@dataclass
class Figure:
    """One row of the table: repetitions of a ratio (or a time), and the target it answers to."""

    name: str
    values: list[float]
    target: str
    meets: bool | None
    unit: str = ""
    note: str = ""

    def cells(self) -> list[str]:
        fmt = "{:.3f}" if max(self.values) < 10 else "{:.1f}"
        median = fmt.format(statistics.median(self.values)) + self.unit
        spread = f"{fmt.format(min(self.values))} / {fmt.format(max(self.values))}"
        verdict = {True: "yes", False: "**no**", None: "-"}[self.meets]
        return [self.name, median, spread, str(len(self.values)), self.target, verdict, self.note]


def measure(
    broker: str,
    figures: list[str],
    reps: int,
    run_id: str,
    worker: tuple[str, int] = ("threads", 8),
) -> dict:
    """Run bench.measure for one broker in its own process; its last stdout line is JSON."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "TEST_RUN_ID": f"{run_id}-{broker}-{worker[0]}{worker[1]}",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.measure", "--broker", broker, "--reps", str(reps),
         "--pool", worker[0], "--concurrency", str(worker[1]), *figures],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"bench.measure --broker {broker} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def synthetic_pages(repos: int, seed: int = 7) -> list[list[dict]]:
    """``repos`` search items in pages of 100, a few ids repeated as on real overlapping pages."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    items = [
        {"id": rng.randrange(repos * 10), "full_name": f"owner{i}/repo{i}",
         "language": rng.choice(LANGUAGES)}
        for i in range(repos)
    ]  # fmt: skip
    return [items[i : i + 100] for i in range(0, repos, 100)]


def builder(reps: int) -> dict[int, list[float]]:
    """Seconds to turn the pages into CSV text for each size (the chord body's work, no Celery).

    Writing the file is left out: its fsync is a constant that would hide the growth.
    """
    from celery_uncovered.toyex.report import render_csv, report_rows

    out: dict[int, list[float]] = {}
    for size in BUILDER_SIZES:
        pages = synthetic_pages(size)
        render_csv(report_rows(pages))  # warm-up
        out[size] = [timed(lambda p=pages: render_csv(report_rows(p))) for _ in range(reps)]
    return out


def timed(call: object) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def paired(top: list[float], bottom: list[float]) -> list[float]:
    return [a / b for a, b in zip(top, bottom, strict=False)]


def figures(
    rabbit: dict, redis: dict, embedded: dict, build: dict[int, list[float]], tried: dict
) -> list:
    rows = []
    runs = [("RabbitMQ", rabbit, RECOMMENDED), ("Redis", redis, RECOMMENDED)]
    runs += [(name, data, worker) for (name, worker), data in tried.items()]
    for name, data, (pool, slots) in runs:
        ratios = [wall / PAGE_LATENCY for wall in data["fanout"]]
        recommended = (pool, slots) == RECOMMENDED
        rows.append(
            Figure(
                f"1. report fan-out on {name}, -P {pool} -c {slots}: wall / {PAGE_LATENCY} s",
                ratios,
                "<= 1.12 (sequential: 5.0)",
                statistics.median(ratios) <= 1.12,
                note="the README's worker" if recommended else "tried instead",
            )
        )
    over = rabbit["overhead"]
    for kind, label in (("logging", "LoggingTask"), ("scoped", "ScopeBasedTask")):
        rtt = paired(over[kind]["rtt"], over["plain"]["rtt"])
        rows.append(
            Figure(f"2. {label} round trip / plain Task", rtt, "<= 1.10",
                   statistics.median(rtt) <= 1.10, note="RabbitMQ, Redis results")
        )  # fmt: skip
        rate = paired(over[kind]["throughput"], over["plain"]["throughput"])
        rows.append(
            Figure(f"2. {label} throughput / plain Task", rate, ">= 0.90",
                   statistics.median(rate) >= 0.90, note="bursts of 1,000 no-ops")
        )  # fmt: skip
    err = paired(rabbit["errors"]["celery"], rabbit["errors"]["stock"])
    rows.append(
        Figure(f"3. /report-error with SMTP stalled {STALL:.0f} s: CeleryHandler / stock", err,
               "<= 0.05", statistics.median(err) <= 0.05,
               note="Django test client, in process")
    )  # fmt: skip
    emb = paired(embedded["rtt"], rabbit["rtt"])
    rows.append(
        Figure("4. embedded broker round trip / RabbitMQ's", emb, "<= 50",
               statistics.median(emb) <= 50, note="filesystem transport, 20 ms polling")
    )  # fmt: skip
    base = statistics.median(build[BUILDER_SIZES[0]]) / BUILDER_SIZES[0]
    for size in BUILDER_SIZES:
        per_repo = [t / size / base for t in build[size]]
        ms = statistics.median(build[size]) * 1000
        rows.append(
            Figure(f"5. builder, {size:,} repos: time per repo / at 500", per_repo,
                   "about 1 (linear)", 0.5 <= statistics.median(per_repo) <= 2.0,
                   note=f"median {ms:.1f} ms")
        )  # fmt: skip
    return rows


def machine() -> list[str]:
    def tool(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"

    redis_v = tool(["redis-server", "--version"]).split(" v=")[-1].split()[0]
    rabbit_v = tool(["rabbitmqctl", "version"]) or "unknown"
    return [
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {platform.platform()}, {os.cpu_count()} cores, {platform.processor() or '?'}",
        f"- Python {platform.python_version()}, Celery {version('celery')}, kombu "
        f"{version('kombu')}, Django {version('django')}, redis-py {version('redis')}, "
        f"py-amqp {version('amqp')}",
        f"- RabbitMQ {rabbit_v}, Redis {redis_v}",
    ]


def render(rows: list[Figure]) -> str:
    header = ["figure", "median", "min / max", "n", "target", "meets", "note"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=7, help="repetitions per figure")
    parser.add_argument("--no-write", action="store_true", help="print only, keep results.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    run_id = f"bench-{uuid.uuid4().hex[:6]}"

    rabbit = measure(
        "rabbitmq", ["fanout", "overhead", "rtt", "errors"], args.reps, run_id, RECOMMENDED
    )
    redis = measure("redis", ["fanout"], args.reps, run_id, RECOMMENDED)
    embedded = measure("embedded", ["rtt"], args.reps, run_id, RECOMMENDED)
    tried = {
        (name, worker): measure(broker, ["fanout"], args.reps, run_id, worker)
        for worker in ALTERNATIVES
        for broker, name in (("rabbitmq", "RabbitMQ"), ("redis", "Redis"))
    }
    build = builder(args.reps)
    rows = figures(rabbit, redis, embedded, build, tried)

    text = "\n".join(
        [
            "# Benchmark results",
            "",
            "Written by `nox -s bench` (`bench/run.py`): each figure is a ratio measured in one "
            "run on this machine, the median of the repetitions with min and max. Nothing in the "
            "test suite asserts a duration. Why a figure misses its target, and what was tried: "
            "README.md, section Benchmark.",
            "",
            *machine(),
            "",
            render(rows),
            "",
        ]
    )
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
