"""`nox -s bench`: the project's report beside a plain Celery chord of the same five fetches, on
each broker and database, the other figures of issues #9 and #18, and the test harness beside
celery.contrib.pytest (bench/harness.py; `nox -s bench -- harness` runs that part alone),
as ratios in one run; the tables go to stdout and to bench/results.md. Nothing here is a test:
the suite never asserts a duration.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version

from bench import chordplot, harness
from bench.measure import PAGE_LATENCY, ROOT, STALL

RESULTS = ROOT / "bench" / "results.md"
NOTES = ROOT / "bench" / "notes.md"  # what limits each row and what was tried, kept by hand
RECOMMENDED = ("prefork", 6)  # the worker the README recommends for the report
BUILDER_SIZES = (500, 5_000, 50_000)
LANGUAGES = [*(f"Lang{i}" for i in range(40)), None]
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


@dataclass(frozen=True)
class Setup:
    """One row of the comparison: where the report and the plain chord both run."""

    broker: str
    database: str  # "sqlite" or "postgres"
    backend: str = "redis"
    worker: tuple[str, int] = RECOMMENDED
    note: str = ""

    @property
    def label(self) -> str:
        names = {"rabbitmq": "RabbitMQ", "redis": "Redis", "sqlite": "SQLite",
                 "postgres": "PostgreSQL", "django-db": "django-db results",
                 "redis-results": "Redis results"}  # fmt: skip
        backend = names["redis-results" if self.backend == "redis" else self.backend]
        pool, slots = self.worker
        return f"{names[self.broker]} / {names[self.database]} / {backend} / {pool} {slots}"


SETUPS = [
    Setup("rabbitmq", "sqlite", note="the README's worker"),
    Setup("redis", "sqlite"),
    Setup("rabbitmq", "postgres"),
    Setup("redis", "postgres"),
    Setup("rabbitmq", "postgres", backend="django-db", note="the production pair"),
    Setup("rabbitmq", "sqlite", worker=("threads", 8), note="tried instead"),
]
TARGETS = {"ratio": 1.02, "tail": 1.3, "latency": 1.10}


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
    worker: tuple[str, int] = RECOMMENDED,
    backend: str = "redis",
    database_url: str = "",
    log_level: str = "WARNING",
) -> dict:
    """Run bench.measure for one setup in its own process; its last stdout line is JSON."""
    tag = f"{broker}-{backend}-{'pg' if database_url else 'sqlite'}-{worker[0]}{worker[1]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_RUN_ID": f"{run_id}-{tag}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-m", "bench.measure", "--broker", broker, "--reps", str(reps),
         "--pool", worker[0], "--concurrency", str(worker[1]), "--backend", backend,
         "--log-level", log_level, *figures],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"bench.measure {tag} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def bench_database(run_id: str) -> Iterator[str]:
    """A PostgreSQL database of this run's own on the local server, dropped afterwards."""
    import psycopg

    name = f"cu_bench_{run_id.replace('-', '_')}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95: p95): always a value that was measured."""
    ranked = sorted(values)
    return ranked[max(0, math.ceil(share * len(ranked)) - 1)]


@dataclass
class Comparison:
    """One setup's report and plain chord, as multiples of one page's latency."""

    setup: Setup
    project: list[float]
    plain: list[float]
    paired: list[float]
    first: float
    phases: list[dict]

    @classmethod
    def of(cls, setup: Setup, data: dict) -> Comparison:
        project = [wall / PAGE_LATENCY for wall in data["project"]]
        plain = [wall / PAGE_LATENCY for wall in data["plain"]]
        return cls(
            setup, project, plain, paired(project, plain), data["first"][0] / PAGE_LATENCY,
            [phase for phase in data.get("phases", []) if phase],
        )  # fmt: skip

    @property
    def ratio(self) -> float:
        return statistics.median(self.paired)

    def misses(self) -> list[str]:
        median = statistics.median(self.project)
        out = []
        if self.ratio > TARGETS["ratio"]:
            out.append("project ÷ plain")
        if max(self.project) > TARGETS["tail"] * median:
            out.append("max")
        if median > TARGETS["latency"]:
            out.append("÷ page latency")
        return out

    def cells(self) -> list[str]:
        median = statistics.median(self.project)
        misses = self.misses()
        return [
            self.setup.label,
            f"{median:.3f}",
            f"{statistics.median(self.plain):.3f}",
            f"{self.ratio:.3f}",
            f"{percentile(self.project, 0.95):.3f}",
            f"{max(self.project):.3f} ({max(self.project) / median:.2f} x median)",
            f"{self.first:.2f}",
            "yes" if not misses else "**no**: " + ", ".join(misses),
            self.setup.note,
        ]

    def phase_cells(self) -> list[str]:
        """Median and max of each phase of the report (ms), from the worker's log."""
        from bench.timeline import PHASES

        cells = [self.setup.label]
        for phase in PHASES:
            values = [p[phase] * 1000 for p in self.phases]
            cells.append(f"{statistics.median(values):.0f} / {max(values):.0f}" if values else "-")
        plain_median = statistics.median(self.plain) * PAGE_LATENCY * 1000
        cells.append(f"{plain_median:.0f}")
        return cells


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
    from celery_uncovered.toyex.hotrepos.report import render_csv, report_rows

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


def figures(rabbit: dict, embedded: dict, build: dict[int, list[float]]) -> list:
    rows = []
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
        f"- RabbitMQ {rabbit_v}, Redis {redis_v}, PostgreSQL {postgres_version()}",
    ]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(rows: list[Figure]) -> str:
    header = ["figure", "median", "min / max", "n", "target", "meets", "note"]
    return table(header, [row.cells() for row in rows])


def render_comparisons(comparisons: list[Comparison]) -> str:
    header = [
        "broker / db / results / pool", "project report ÷ page latency", "plain chord",
        "project ÷ plain", "p95", "max", "first report", "meets", "note",
    ]  # fmt: skip
    return table(header, [c.cells() for c in comparisons])


def render_phases(comparisons: list[Comparison]) -> str:
    from bench.timeline import PHASES

    header = ["broker / db / results / pool", *(f"{p} (ms)" for p in PHASES), "plain chord (ms)"]
    return table(header, [c.phase_cells() for c in comparisons if c.phases])


def render_settings(cost: dict[str, list[float]]) -> str:
    base = statistics.median(cost["project's settings"])
    rows = [
        [row, f"{statistics.median(rates):.0f}", f"{statistics.median(rates) / base:.2f}",
         f"{min(rates):.0f} / {max(rates):.0f}", str(len(rates))]
        for row, rates in cost.items()
    ]  # fmt: skip
    return table(["worker (prefork 6, RabbitMQ, Redis results)", "no-ops/s", "÷ project's",
                  "min / max", "n"], rows)  # fmt: skip


def postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0]).split()[0]
    except Exception:
        return "unknown"


def compare_all(setups: list[Setup], reps: int, run_id: str) -> list[Comparison]:
    """Each setup's report and plain chord; the PostgreSQL rows share one database of the run."""
    out: dict[Setup, dict] = {}
    for setup in (s for s in setups if s.database == "sqlite"):
        out[setup] = measure(setup.broker, ["compare"], reps, run_id, setup.worker,
                             setup.backend, log_level="INFO")["compare"]  # fmt: skip
    postgres = [s for s in setups if s.database == "postgres"]
    if postgres:
        with bench_database(run_id) as url:
            for setup in postgres:
                out[setup] = measure(setup.broker, ["compare"], reps, run_id, setup.worker,
                                     setup.backend, url, log_level="INFO")["compare"]  # fmt: skip
    return [Comparison.of(setup, out[setup]) for setup in setups]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["harness"]:  # `nox -s bench -- harness`: that part alone (bench/harness.py)
        harness.main(argv[1:])
        return
    if argv[:1] == ["plot"]:  # `nox -s bench -- plot`: redraw chords.svg from results.md's table
        rows = chordplot.rows_from_results(RESULTS.read_text(encoding="utf-8"))
        if chordplot.plot(rows, TARGETS):
            print(f"drawn: {chordplot.PLOT.relative_to(ROOT)} ({len(rows)} configurations)")
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=7, help="repetitions per figure")
    parser.add_argument("--reports", type=int, default=24,
                        help="reports (and plain chords) per setup, at least 20")  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print only, keep results.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    run_id = f"bench-{uuid.uuid4().hex[:6]}"
    started = time.monotonic()

    comparisons = compare_all(SETUPS, args.reports, run_id)
    rabbit = measure("rabbitmq", ["overhead", "rtt", "errors", "settings"], args.reps, run_id)
    embedded = measure("embedded", ["rtt"], args.reps, run_id)
    build = builder(args.reps)
    rows = figures(rabbit, embedded, build)
    load = harness.load_average()
    harness_runs = harness.measure_all(args.reps)
    harness_text = harness.section(harness_runs, args.reps, f"{load} before, "
                                   f"{harness.load_average()} after")  # fmt: skip
    minutes = (time.monotonic() - started) / 60

    text = "\n".join(
        [
            "# Benchmark results",
            "",
            "Written by `nox -s bench` (`bench/run.py`) in one run on this machine; what each "
            "figure means, why a row misses its target and what was tried: README.md, section "
            "Benchmark. Nothing in the test suite asserts a duration.",
            "",
            *machine(),
            f"- this run took {minutes:.1f} minutes",
            "",
            "## The report beside a plain Celery chord of the same five fetches",
            "",
            f"{args.reports} reports and {args.reports} plain chords per row, alternated, on the "
            f"same worker, app and replay server ({PAGE_LATENCY} s a page). Times are multiples "
            "of one page's latency; *project ÷ plain* is the median of the paired ratios (each "
            "report over the plain chord run beside it). p95 and max are the report's; *first "
            "report* is the one right after the worker started, before any warm-up (not in the "
            f"median). Targets: project ÷ plain ≤ {TARGETS['ratio']}, max ≤ {TARGETS['tail']} x "
            f"median, report ÷ page latency ≤ {TARGETS['latency']}.",
            "",
            render_comparisons(comparisons),
            "",
            "Where the report's time goes (median / max, ms, from the worker's INFO log, "
            "`bench/timeline.py`): *fan-out* is the produce task received → its fifth fetch "
            "received, *pages* → the chord's body received, *body* → the body done; the plain "
            "chord's whole wall time beside them.",
            "",
            render_phases(comparisons),
            "",
            "## The project's settings against Celery's defaults, for a no-op",
            "",
            "A burst of no-ops queued while the worker does not consume, then drained: the "
            "worker's rate, not the client's publishing. One setting changed per row.",
            "",
            render_settings(rabbit["settings"]),
            "",
            "## The other figures",
            "",
            render(rows),
            "",
            harness_text,
            "",
            NOTES.read_text(encoding="utf-8").rstrip(),
            "",
        ]
    )
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS.relative_to(ROOT)}")
        chordplot.plot(chordplot.rows_from_results(text), TARGETS)  # the figure shows the table


if __name__ == "__main__":
    main()
