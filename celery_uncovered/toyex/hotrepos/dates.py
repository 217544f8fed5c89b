"""The ``created:>=`` date of a report: plain date arithmetic, no Celery."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from django.utils import timezone

from celery_uncovered.web.inputs import shown

PERIODS = ("today", "day", "week", "month")
# GitHub opened in 2008: a report that would count repos created before then is a typo, not a
# request (1900-01-01 used to build github-hot-repos-1899-12-25.csv).
FIRST_SINCE = date(2008, 1, 1)
# ASCII digits only: to a plain \d, Arabic-Indic digits are digits too, and came out "no such day".
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: date | str) -> date:
    """A ``date`` from a date or a strict ``YYYY-MM-DD`` string; anything else is a ValueError."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"invalid date {shown(value)}: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"invalid date {shown(value)}: no such day") from None


def check_period(period: str) -> str:
    """The period, or a ValueError naming the valid ones."""
    if period not in PERIODS:
        raise ValueError(f"invalid period {shown(period)}: choose one of {', '.join(PERIODS)}")
    return period


def month_before(day: date) -> date:
    """The same day of the previous month, clamped to that month's length (Mar 31 → Feb 28/29)."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def strf_date(period: str, ref_date: date | str | None = None) -> str:
    """The first creation date a report for ``period`` counts, as ``YYYY-MM-DD``.

    ``ref_date`` defaults to today in ``TIME_ZONE`` (not UTC): a midnight beat run in Berlin asks
    for Berlin's day.
    """
    check_period(period)
    ref = timezone.localdate() if ref_date is None else parse_date(ref_date)
    try:
        if period == "today":
            since = ref
        elif period == "day":
            since = ref - timedelta(days=1)
        elif period == "week":
            since = ref - timedelta(days=7)
        else:
            since = month_before(ref)
    # 0001-01-01 minus a day is no date at all: a clear error, never an OverflowError (a 500).
    except (OverflowError, ValueError):
        raise ValueError(
            f"invalid date {shown(ref_date)}: the {period} report would start before year 1"
        ) from None
    return since.isoformat()


def reference_date(ref_date: date | str | None = None) -> str:
    """The day a report counts back from, as ``YYYY-MM-DD``: the given one, else today here."""
    day = timezone.localdate() if ref_date is None or ref_date == "" else parse_date(ref_date)
    return day.isoformat()


def validate_report_request(period: str, ref_date: str | None = None) -> tuple[str, str | None]:
    """Check what a person typed before anything is queued: period, date format, not the future.

    Nor the distant past: the report's first day (``since``) must be on or after ``FIRST_SINCE``.
    """
    check_period(period)
    if ref_date is None or ref_date == "":
        return period, None
    day = parse_date(ref_date)
    if day > timezone.localdate():
        raise ValueError(f"invalid date {shown(ref_date)}: it is in the future")
    if day < FIRST_SINCE:  # before any arithmetic: year 1 minus a week is no date at all
        first = FIRST_SINCE.isoformat()
        raise ValueError(f"invalid date {shown(ref_date)}: it is before GitHub existed ({first})")
    since = strf_date(period, day)
    if since < FIRST_SINCE.isoformat():
        raise ValueError(
            f"invalid date {shown(ref_date)}: the {period} report would start on {since}, "
            f"before GitHub existed ({FIRST_SINCE.isoformat()})"
        )
    return period, day.isoformat()


class InvalidReportRequest(ValueError):
    """A person's report request with bad fields: ``errors`` names each (field: message)."""

    def __init__(self, errors: dict[str, str]) -> None:
        # The first problem is the message (the CLI's one line); a form shows them all.
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def report_request_errors(
    period: str, ref_date: str | None, refused: dict[str, str]
) -> dict[str, str]:
    """Every field's problem at once (both, when both are wrong); {} when the request is good.

    ``refused`` holds fields the caller already refused (a form field sent twice): kept first,
    and not checked again. The date is checked against the period when the period is valid.
    """
    errors = dict(refused)
    if "period" not in errors:
        try:
            check_period(period)
        except ValueError as exc:
            errors["period"] = str(exc)
    if "date" not in errors and ref_date is not None:
        try:
            validate_report_request("today" if "period" in errors else period, ref_date)
        except ValueError as exc:
            errors["date"] = str(exc)
    return errors
