"""The hot-repo report: pages of search results in, one CSV row per language out. No Celery."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

UNKNOWN_LANGUAGE = "Unknown"
_SINCE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Celery task ids are UUIDs; tests and scripts may pick their own ids of these characters.
_REPORT_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# One search result as parsed JSON: at least ``id``, ``full_name`` and ``language``.
Repo = Mapping[str, Any]


def report_filename(since: str) -> str:
    """The name a person sees (the download's name), as in the tutorial: one per day."""
    return f"github-hot-repos-{since}.csv"


def stored_filename(since: str, report_id: str) -> str:
    """The name on disk: one file per report, so a newer report of the same day overwrites none.

    Both parts come from the database or a task's arguments; anything but a date and an id is
    refused before it becomes a path.
    """
    if not isinstance(since, str) or not _SINCE.fullmatch(since):
        raise ValueError(f"not a report date: {since!r:.40}")
    if not isinstance(report_id, str) or not _REPORT_ID.fullmatch(report_id):
        raise ValueError(f"not a report id: {report_id!r:.40}")
    return f"github-hot-repos-{since}.{report_id}.csv"


def unique_repos(pages: Iterable[Iterable[Repo]]) -> list[Repo]:
    """Repos in page order, each id once: rankings shift between page requests, so pages overlap."""
    seen: set[object] = set()
    repos = []
    for page in pages:
        for repo in page:
            if repo["id"] not in seen:
                seen.add(repo["id"])
                repos.append(repo)
    return repos


def report_rows(pages: Iterable[Iterable[Repo]]) -> list[list[str]]:
    """One row per language, sorted by name, repos in the order received; null language last."""
    by_language: dict[str, list[str]] = {}
    unknown: list[str] = []
    for repo in unique_repos(pages):
        language = repo.get("language")
        target = unknown if language is None else by_language.setdefault(language, [])
        target.append(repo["full_name"])
    rows = [[language, *by_language[language]] for language in sorted(by_language)]
    if unknown:
        rows.append([UNKNOWN_LANGUAGE, *unknown])
    return rows


# A cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection list):
# a repo named ``=HYPERLINK("http://x","y")`` would become a link, or worse, in the report.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value``, with a leading ``'`` when a spreadsheet would read it as a formula (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def render_csv(rows: Iterable[list[str]]) -> str:
    """The rows as CSV text, every cell neutralised for spreadsheets (``safe_cell``)."""
    lines = []
    for row in rows:
        # "\r\n" makes the writer quote a cell holding "\r" as well as "\n" (with "\n" only, a
        # "\r" went out unquoted and split the row when read back); each line then ends in "\n".
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(str(c)) for c in row])
        lines.append(buffer.getvalue().removesuffix("\r\n") + "\n")
    return "".join(lines)


def write_atomically(path: Path, text: str, mode: int = 0o644) -> Path:
    """Write UTF-8 text so a reader sees the old file or the new one, never half of it.

    ``mkstemp`` creates the file 0600; ``mode`` is set before the rename, so a web server running
    as another user can read the file from the moment it appears.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def render_report(pages: Iterable[Iterable[Repo]]) -> str:
    """The report's CSV text: what the file holds and what the database keeps for the web."""
    return render_csv(report_rows(pages))


def write_report(pages: Iterable[Iterable[Repo]], path: Path, mode: int = 0o644) -> Path:
    """Build the report and write it to ``path`` with ``mode``; returns the path."""
    return write_atomically(Path(path), render_report(pages), mode)
