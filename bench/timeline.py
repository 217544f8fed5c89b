"""Where a report's time went, read from the worker's INFO log: one line per task received and
per task finished, with milliseconds. No instrumentation in the app: what Celery logs anyway.

Phases of one report (the produce task's id is the report's, and the chord body's):

- ``fan-out``: the produce task received → the last of its five fetches received;
- ``pages``: → the chord's body received (the slowest page, plus the chord's hop);
- ``body``: → the body finished (the CSV and the row that says "done").

What the three leave of the wall time is the client's: publishing, and the result coming back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO \S+ \S+: Task (?P<name>[\w.]+)"
    r"\[(?P<id>[\w-]+)\] (?P<what>received|succeeded)"
)
PRODUCE = "celery_uncovered.toyex.tasks.produce_hot_repo_report"
FETCH = "celery_uncovered.toyex.tasks.fetch_hot_repos"
BODY = "celery_uncovered.toyex.tasks.build_report_task"
PHASES = ("fan-out", "pages", "body")


@dataclass
class ReportTimeline:
    report_id: str
    seconds: dict[str, float]


def events(log: Path) -> list[tuple[datetime, str, str, str]]:
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = LINE.match(line)
        if match:
            at = datetime.strptime(match["at"], "%Y-%m-%d %H:%M:%S,%f")
            out.append((at, match["name"], match["id"], match["what"]))
    return out


def report_timelines(log: Path) -> dict[str, ReportTimeline]:
    """Each report's phases, by report id; reports run one at a time (as the bench runs them)."""
    out: dict[str, ReportTimeline] = {}
    current: dict | None = None
    for at, name, task_id, what in events(log):
        if name == PRODUCE and what == "received":
            current = {"id": task_id, "produce": at, "fetches": []}
        elif current is None:
            continue
        elif name == FETCH and what == "received":
            current["fetches"].append(at)
        elif name == BODY and task_id == current["id"]:
            current[what] = at
            if what == "succeeded" and "received" in current and current["fetches"]:
                last_fetch = max(current["fetches"])
                out[task_id] = ReportTimeline(
                    task_id,
                    {
                        "fan-out": (last_fetch - current["produce"]).total_seconds(),
                        "pages": (current["received"] - last_fetch).total_seconds(),
                        "body": (at - current["received"]).total_seconds(),
                    },
                )
                current = None
    return out
