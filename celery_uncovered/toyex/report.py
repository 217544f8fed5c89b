"""The hot-repo report: pages of search results in, one CSV row per language out. No Celery."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

UNKNOWN_LANGUAGE = "Unknown"


def report_filename(since: str) -> str:
    """The CSV's file name; ``since`` is a validated ``YYYY-MM-DD``."""
    return f"github-hot-repos-{since}.csv"


def unique_repos(pages: Iterable[Iterable[Mapping]]) -> list[Mapping]:
    """Repos in page order, each id once: rankings shift between page requests, so pages overlap."""
    seen: set = set()
    repos = []
    for page in pages:
        for repo in page:
            if repo["id"] not in seen:
                seen.add(repo["id"])
                repos.append(repo)
    return repos


def report_rows(pages: Iterable[Iterable[Mapping]]) -> list[list[str]]:
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


def render_csv(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> Path:
    """Write UTF-8 text so a reader sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_report(pages: Iterable[Iterable[Mapping]], since: str, media_root: Path) -> Path:
    """Build the report and write it to ``media_root``; returns the CSV's path."""
    return write_atomically(
        Path(media_root) / report_filename(since), render_csv(report_rows(pages))
    )
