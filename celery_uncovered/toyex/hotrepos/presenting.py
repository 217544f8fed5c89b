"""What a person reads about a report: the periods explained, the range in words, the progress.

One place builds the status answer (JSON for scripts and the page's polling) and the same
numbers the HTML pages render, so the first paint and every poll say the same thing.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from celery_uncovered.toyex.models import Report, ReportPage

from .consumers import status_notice
from .dates import FIRST_SINCE, PERIODS, strf_date

# One line each, for the form: "today" and "day" differ by one day, and people mix them up.
PERIOD_HELP = {
    "today": "created on the reference day itself (the nightly report's choice)",
    "day": "created on the day before the reference day or later (two days with the day itself)",
    "week": "created in the 7 days before the reference day or later",
    "month": "created since the same day of the month before (Mar 31 counts from Feb 28/29)",
}
PERIOD_WORDS = {
    "today": "the reference day",
    "day": "a day before",
    "week": "a week before",
    "month": "a month before",
}


def long_date(iso: str) -> str:
    """'Mon 24 Nov 2026' for '2026-11-24'; what cannot be read as a date is shown as it is."""
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or "an unknown day"
    return f"{day:%a} {day.day} {day:%b %Y}"


def range_words(report: Report) -> str:
    """The range in one sentence, with the ISO dates a CSV's name and GitHub's query use.

    GitHub's query is ``created:>=since`` with no end, so the sentence says "or later" instead of
    pretending a dated report stops at its reference day.
    """
    since = f"{long_date(report.since)} ({report.since})"
    if not report.ref_date:
        return f"repositories created on {since} or later"
    ref = f"{long_date(report.ref_date)} ({report.ref_date})"
    if report.period == "today":
        return f"repositories created on {since} or later, the reference day"
    return (
        f"repositories created on {since} or later: "
        f"{PERIOD_WORDS.get(report.period, report.period)} the reference day {ref}"
    )


def download_name(report: Report) -> str:
    """The CSV's name for the person downloading: the tutorial's, with the period unless "today".

    The tutorial names a CSV by its first day only, so a day report of 2026-04-04 and a week
    report of 2026-04-10 (both from 2026-04-03) downloaded under one name. The nightly "today"
    report keeps the tutorial's ``github-hot-repos-<since>.csv``; the others add the period
    (``github-hot-repos-2026-04-03-week.csv``): since and period fix the reference day.
    """
    name = report.download_name
    return name if report.period == "today" else name.replace(".csv", f"-{report.period}.csv")


def page_progress(report: Report) -> list[dict[str, Any]]:
    """Each of the five pages: state, repositories on it, seconds until its retry (if waiting).

    A done report's pages are all shown done, whatever a row written late says.
    """
    rows = {row.number: row for row in report.page_rows.all()}
    now = timezone.now()
    done = report.status == Report.Status.DONE
    pages = []
    for number in range(1, report.pages_total + 1):
        row = rows.get(number)
        state = row.state if row else ReportPage.State.WAITING
        if done:
            state = ReportPage.State.DONE
        retry_in = None
        if row and state == ReportPage.State.RETRYING and row.retry_at:
            retry_in = max(0.0, round((row.retry_at - now).total_seconds(), 1))
        pages.append(
            {
                "number": number,
                "state": state,
                "repos": row.repos if row else 0,
                "retry_in": retry_in,
            }
        )
    return pages


def report_basics(report: Report) -> dict[str, Any]:
    """What every view of a report starts with, the history line and the status alike."""
    return {
        "task_id": report.task_id,
        "period": report.period,
        "since": report.since,
        "ref_date": report.ref_date,
        "range": range_words(report),
        "created": report.created.isoformat(),
        "state": report.status,
        "pages_fetched": report.pages_fetched,
        "pages_total": report.pages_total,
        "download_name": download_name(report),
    }


RETRY_WAIT = re.compile(
    r"^page (?P<page>[0-9]+): (?P<reason>.*); "
    r"(trying again in [0-9.]+s|retrying \(the wait is counted down above\))$"
)


def live_notice(notice: str, pages: list[dict[str, Any]]) -> str:
    """The notice without its wait while that page's own line counts the wait down.

    The notice is written once, when the retry is scheduled ("trying again in 16s"); the page's
    countdown (``retry_in``, from ``retry_at``) is live. Two numbers disagreed a second later:
    the page line is the one source of the wait.
    """
    match = RETRY_WAIT.match(notice)
    if not match:
        return notice
    number = int(match["page"])
    page = next((p for p in pages if p["number"] == number), None)
    if page is not None and page.get("state", "retrying") != "retrying":
        # Its wait is over and the page is fetched again (or done): in a role=status region a
        # "trying again in 4s" would be announced for a wait that is not happening.
        return ""
    counting = page is not None and page["retry_in"] is not None
    if not counting:
        return notice
    return f"page {number}: {match['reason']}; retrying (the wait is counted down above)"


def report_status_payload(report: Report) -> dict[str, Any]:
    """What the page shows: state, range, pages, notices, a readable error, summary, the link."""
    done = report.status == Report.Status.DONE
    failed = report.status == Report.Status.FAILED
    pages = page_progress(report)
    found = sum(page["repos"] for page in pages)
    return {
        **report_basics(report),
        "pages": [] if failed else pages,
        "repos_found": found,
        # The pages' counts add up repositories seen twice (GitHub's ranking moves between page
        # requests, report.unique_repos); the CSV counts each once. Said on the page, not hidden.
        "repeated": max(0, found - report.repos_count) if done and report.repos_count else 0,
        "incomplete_results": report.incomplete_results,
        "languages": report.languages_count if done else None,
        "repositories": report.repos_count if done else None,
        "error": report.error if failed else "",
        "notice": (notice := live_notice(status_notice(report), pages)),
        # The page a retry notice is about: the page hides the notice when that page's own
        # countdown ends (report.js), not a poll later.
        "notice_page": int(match["page"]) if (match := RETRY_WAIT.match(notice)) else None,
        "status_url": reverse("report-status", args=[report.task_id]),
        "download_url": reverse("report-csv", args=[report.task_id]) if done else None,
    }


def history_entry(report: Report) -> dict[str, Any]:
    """One line of the history: what, when, how it went; no per-page detail (no extra query)."""
    done = report.status == Report.Status.DONE
    return {
        **report_basics(report),
        "languages": report.languages_count if done else None,
        "repositories": report.repos_count if done else None,
        "incomplete_results": report.incomplete_results,
        "error": report.error if report.status == Report.Status.FAILED else "",
        "status_url": reverse("report-status", args=[report.task_id]),
        "download_url": reverse("report-csv", args=[report.task_id]) if done else None,
    }


def earliest_reference_day(period: str) -> str:
    """The first reference day whose report starts on or after GitHub's opening (2008-01-01).

    The date field's ``min`` per period, from the same rule ``validate_report_request`` applies.
    """
    day = FIRST_SINCE
    while strf_date(period, day) < FIRST_SINCE.isoformat():
        day += timedelta(days=1)
    return day.isoformat()


def date_bounds() -> dict[str, str | dict[str, str]]:
    """The date field's bounds: today here (max), and the earliest day for each period (min)."""
    return {
        "max": timezone.localdate().isoformat(),
        "min": {period: earliest_reference_day(period) for period in PERIODS},
    }
