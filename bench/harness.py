"""`nox -s bench -- harness`: the same live tests through pytest-celery-live and Celery's own
fixtures (celery.contrib.pytest).

A plain Celery project (one ``add`` task, no Django) is written into a temporary folder, and six
tests that each send a task and wait for its result run there by ``pytest`` in a process of its
own: through the plugin's in-process worker, its worker process, and Celery's own
``celery_app`` / ``celery_worker`` fixtures (``-p celery.contrib.pytest``), on each broker. A
small conftest plugin writes each phase's duration; from them:

- *start*: the first test's setup (the plugin's session worker starts there; Celery's fixtures
  start a worker there too, and one in every later test's setup);
- *stop*: the last test's teardown (the plugin's session ends there; Celery's stops that test's
  worker, as every test's teardown does);
- *per test*: setup + call + teardown of each test after the first, median.

Nothing here is a test: the suite never asserts a duration.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.measure import ROOT

BROKERS = {
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
    "redis": "redis://127.0.0.1:6379/0",
    "embedded": "filesystem://",
}
BACKEND = "redis://127.0.0.1:6379/1"
TESTS = 6
PLOT = ROOT / "bench" / "harness.svg"

# The embedded broker: for both harnesses the app's own transport, which writes a message whole
# (kombu's may be read empty under a burst, and the worker dies: the plugin's README).
EMBEDDED_TRANSPORT = "celery_uncovered.transports.filesystem:Transport"
APP = f"""
import os

from celery import Celery, shared_task

app = Celery("proj")
if os.environ["HARNESS_BROKER"].startswith("filesystem"):
    app.conf.broker_transport = "{EMBEDDED_TRANSPORT}"


@shared_task(name="proj.add")
def add(x, y):
    return x + y
"""
TIMING = """
import json, os

import pytest

PHASES = []


def pytest_runtest_logreport(report):
    PHASES.append([report.nodeid, report.when, report.duration, report.outcome])


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    with open(os.environ["HARNESS_TIMES"], "w") as out:
        json.dump(PHASES, out)
"""
PLUGIN_TESTS = """
import pytest
from proj import add


@pytest.mark.parametrize("n", range({tests}))
def test_add(celery_live_{tier}_worker, n):
    assert celery_live_{tier}_worker.wait(add.delay(n, 1), timeout=30) == n + 1
"""
CONTRIB_TESTS = """
import os

import pytest
from proj import add


@pytest.fixture(scope="session")
def celery_config():
    broker = os.environ["HARNESS_BROKER"]
    options = {{}}
    if broker.startswith("filesystem"):
        folder = os.environ["HARNESS_FOLDER"]
        options = {{"polling_interval": 0.02, "data_folder_in": folder + "/q",
                    "data_folder_out": folder + "/q", "control_folder": folder + "/c"}}
    transport = "{transport}" if options else None
    return {{"broker_url": broker, "result_backend": os.environ["HARNESS_BACKEND"],
             "broker_transport_options": options, "broker_transport": transport}}


@pytest.mark.parametrize("n", range({tests}))
def test_add(celery_app, celery_worker, n):
    assert add.delay(n, 1).get(timeout=30) == n + 1
"""


@dataclass
class Run:
    """One pytest run's phases: the figures of one harness on one broker."""

    harness: str
    broker: str
    start: float
    stop: float
    per_test: float


def write_project(folder: Path) -> None:
    """The project both harnesses run: the app, the timing conftest, one test file each."""
    (folder / "proj.py").write_text(APP)
    (folder / "conftest.py").write_text(TIMING)
    (folder / "pytest.ini").write_text(
        "[pytest]\ncelery_live_app = proj\npythonpath = .\naddopts = -p no:cacheprovider\n"
    )
    for tier in ("inproc", "proc"):
        text = PLUGIN_TESTS.format(tests=TESTS, tier=tier)
        (folder / f"test_plugin_{tier}.py").write_text(textwrap.dedent(text))
    contrib = CONTRIB_TESTS.format(tests=TESTS, transport=EMBEDDED_TRANSPORT)
    (folder / "test_contrib.py").write_text(textwrap.dedent(contrib))
    for sub in ("q", "c"):
        (folder / "fs" / sub).mkdir(parents=True, exist_ok=True)


def run_once(folder: Path, harness: str, broker: str) -> Run:
    """One pytest process of the project through ``harness``; its phases as a ``Run``."""
    times = folder / f"times-{uuid.uuid4().hex[:6]}.json"
    env = {
        **os.environ,
        "HARNESS_TIMES": str(times),
        "HARNESS_BROKER": BROKERS[broker],
        "HARNESS_BACKEND": BACKEND,
        "HARNESS_FOLDER": str(folder / "fs"),
        "CELERY_LIVE_BROKER": broker,
        "CELERY_LIVE_BACKEND": "redis",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # a plain Celery project: pytest-django stays inert
    if harness == "contrib":
        args = ["-p", "celery.contrib.pytest", "-p", "no:celery_live", "test_contrib.py"]
    else:
        args = [f"test_plugin_{harness.removeprefix('plugin-')}.py"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:django", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"harness {harness} on {broker} failed:\n{done.stdout[-4000:]}{done.stderr}")
    return figures(harness, broker, json.loads(times.read_text()))


def figures(harness: str, broker: str, phases: list[list[object]]) -> Run:
    """Start, stop and per-test time from the phases pytest reported (seconds)."""
    by_test: dict[str, dict[str, float]] = {}
    for nodeid, when, duration, _ in phases:
        by_test.setdefault(str(nodeid), {})[str(when)] = float(duration)  # type: ignore[arg-type]
    tests = list(by_test.values())
    totals = [sum(t.values()) for t in tests[1:]]
    # Up in the first test's setup, down in the last one's teardown: for the plugin the session's
    # worker; for Celery's fixtures the first and the last of the workers it starts per test.
    start, stop = tests[0]["setup"], tests[-1]["teardown"]
    return Run(harness, broker, start, stop, statistics.median(totals))


HARNESSES = ("plugin-inproc", "plugin-proc", "contrib")


def measure_all(reps: int) -> list[Run]:
    """Every harness on every broker, ``reps`` times, interleaved (a busy stretch hits all)."""
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-harness-") as tmp:
        folder = Path(tmp)
        write_project(folder)
        for _ in range(reps):
            for broker in BROKERS:
                for harness in HARNESSES:
                    runs.append(run_once(folder, harness, broker))
    return runs


def median_of(runs: list[Run], harness: str, broker: str, field: str) -> float:
    return statistics.median(
        getattr(r, field) for r in runs if r.harness == harness and r.broker == broker
    )


def render(runs: list[Run], reps: int) -> str:
    """The harness section of results.md: seconds per harness, and plugin ÷ Celery's ratios."""
    rows = []
    for broker in BROKERS:
        contrib = {f: median_of(runs, "contrib", broker, f) for f in ("start", "stop", "per_test")}
        for harness in HARNESSES:
            own = {f: median_of(runs, harness, broker, f) for f in ("start", "stop", "per_test")}
            cells = [broker, harness]
            for field in ("start", "stop", "per_test"):
                ratio = "" if harness == "contrib" else f" ({own[field] / contrib[field]:.2f})"
                cells.append(f"{own[field]:.3f}{ratio}")
            rows.append(cells)
    header = ["broker", "harness", "start, s (÷ Celery's)", "stop, s (÷ Celery's)",
              "per test, s (÷ Celery's)"]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(
        [
            "## The test harness: pytest-celery-live beside celery.contrib.pytest",
            "",
            f"The same {TESTS} live tests (send `add`, wait for its result) in a plain Celery "
            f"project, by `bench/harness.py`: {reps} pytest runs per row, interleaved, medians. "
            "*plugin-inproc* is `celery_live_inproc_worker` (threads in pytest), *plugin-proc* "
            "`celery_live_proc_worker` (a `celery worker` process, prefork 2), *contrib* Celery's "
            "`celery_app` + `celery_worker` (a worker thread per test). *start* is the first "
            "test's setup, *stop* the last test's teardown, *per test* setup + call + teardown "
            "of a later test (Celery's start and stop a worker in each). Results in Redis.",
            "",
            *lines,
        ]
    )


def plot(runs: list[Run], path: Path = PLOT) -> bool:
    """A bar chart of the three figures per broker and harness (if matplotlib is installed)."""
    try:
        import matplotlib

        matplotlib.use("svg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fields = (("start", "start (s)"), ("stop", "stop (s)"), ("per_test", "per test (s)"))
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    width = 0.27
    for ax, (field, title) in zip(axes, fields, strict=True):
        for i, harness in enumerate(HARNESSES):
            values = [median_of(runs, harness, broker, field) for broker in BROKERS]
            xs = [x + (i - 1) * width for x in range(len(BROKERS))]
            ax.bar(xs, values, width, label=harness)
        ax.set_xticks(range(len(BROKERS)), list(BROKERS))
        ax.set_title(title)
    axes[0].legend(fontsize=8)
    fig.suptitle("pytest-celery-live beside celery.contrib.pytest (medians, lower is better)")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
    return True


MARK_BEGIN, MARK_END = "<!-- harness: begin -->", "<!-- harness: end -->"


def section(runs: list[Run], reps: int, load: str) -> str:
    """The section between its marks, so a harness-only run replaces just it in results.md."""
    plotted = plot(runs)
    extra = ["", f"![start, stop and per test]({PLOT.name})"] if plotted else []
    return "\n".join(
        [MARK_BEGIN, render(runs, reps), "",
         f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}; machine load during these runs: {load}.",
         *extra, MARK_END]
    )  # fmt: skip


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f} (1, 5, 15 min) on {os.cpu_count()} cores"


def replace_section(text: str, new: str) -> str:
    """``text`` with its harness section replaced by ``new`` (appended when it has none)."""
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        return head + new + rest.split(MARK_END, 1)[1]
    return text.rstrip() + "\n\n" + new + "\n"


def main(argv: list[str] | None = None) -> None:
    """Measure the harnesses alone and put their section into results.md (unless --no-write)."""
    from bench.run import RESULTS

    parser = argparse.ArgumentParser(prog="bench harness", description=__doc__)
    parser.add_argument("--reps", type=int, default=3, help="pytest runs per harness and broker")
    parser.add_argument("--no-write", action="store_true", help="print only, keep results.md")
    args = parser.parse_args(argv)
    before = load_average()
    runs = measure_all(args.reps)
    text = section(runs, args.reps, f"{before} before, {load_average()} after")
    print(text)
    if not args.no_write:
        RESULTS.write_text(replace_section(RESULTS.read_text(encoding="utf-8"), text))
        print(f"written to {RESULTS.relative_to(ROOT)}")
