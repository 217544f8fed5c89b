"""strf_date: the report's first creation date, for every period, month end and time zone."""

from datetime import date, datetime, timedelta

import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from celery_uncovered.toyex.hotrepos.dates import PERIODS, strf_date, validate_report_request


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("today", "2026-03-15"),
        ("day", "2026-03-14"),
        ("week", "2026-03-08"),
        ("month", "2026-02-15"),
    ],
)
def test_each_period_counts_back_from_the_reference_day(period, expected):
    """today = the day itself, day = 1 back, week = 7 back, month = same day last month."""
    assert strf_date(period, "2026-03-15") == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2026-03-31", "2026-02-28"),  # clamped to February's length
        ("2024-03-31", "2024-02-29"),  # leap year
        ("2026-01-15", "2025-12-15"),  # across the year
        ("2026-05-31", "2026-04-30"),
    ],
)
def test_month_is_clamped_to_the_previous_month_length(ref, expected):
    """Mar 31 → Feb 28 (29 in a leap year); January goes back to December."""
    assert strf_date("month", ref) == expected


def test_a_date_object_is_accepted():
    """ref_date may be a date as well as a string."""
    assert strf_date("day", date(2026, 1, 1)) == "2025-12-31"


@freeze_time("2026-03-01 23:30:00")  # UTC
def test_default_reference_day_is_today_in_time_zone(settings):
    """At 23:30 UTC it is already the next day in Berlin; the report follows TIME_ZONE."""
    settings.TIME_ZONE = "Europe/Berlin"
    assert strf_date("today") == "2026-03-02"
    settings.TIME_ZONE = "UTC"
    assert strf_date("today") == "2026-03-01"


def test_a_wrong_period_names_the_valid_ones():
    """The error says what would have worked."""
    with pytest.raises(ValueError, match="choose one of today, day, week, month"):
        strf_date("fortnight")


@pytest.mark.parametrize(
    "bad", ["2026-02-30", "2026/03/01", "20260301", "yesterday", "", "2026-3-1"]
)
def test_a_malformed_date_is_a_clear_error(bad):
    """Only real YYYY-MM-DD days pass."""
    with pytest.raises(ValueError, match="invalid date"):
        strf_date("day", bad)


@freeze_time("2026-03-01 12:00:00")
def test_requests_for_the_future_are_refused():
    """A reference day after today is refused before anything is queued."""
    with pytest.raises(ValueError, match="in the future"):
        validate_report_request("week", "2026-03-02")
    assert validate_report_request("week", "2026-03-01") == ("week", "2026-03-01")


@pytest.mark.parametrize(
    ("period", "ref", "refused"),
    [
        ("week", "1900-01-01", True),
        ("today", "2007-12-31", True),
        ("week", "2008-01-07", True),  # since 2007-12-31
        ("week", "2008-01-08", False),  # since 2008-01-01, the first day allowed
        ("month", "2008-02-01", False),
        ("month", "2008-01-31", True),
    ],
)
def test_a_report_starting_before_github_existed_is_refused(period, ref, refused):
    """The first day a report may count is 2008-01-01: GitHub did not exist before 2008."""
    if refused:
        with pytest.raises(ValueError, match=r"before GitHub existed \(2008-01-01\)"):
            validate_report_request(period, ref)
    else:
        assert validate_report_request(period, ref) == (period, ref)


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("ref", ["0001-01-01", "0001-01-31", "0001-02-28"])
def test_the_first_days_of_the_calendar_are_a_clear_error_not_a_crash(period, ref):
    """Year 1 minus a day is no date: a ValueError (a 400) at every door, never an OverflowError."""
    with pytest.raises(ValueError, match="before GitHub existed"):
        validate_report_request(period, ref)
    if period != "today":
        with pytest.raises(ValueError, match="invalid date"):
            strf_date(period, "0001-01-01")


@given(
    ref=st.dates(min_value=date(1971, 1, 1), max_value=date(9999, 12, 31)),
    period=st.sampled_from(PERIODS),
)
def test_the_start_is_never_after_the_reference_day(ref, period):
    """Property: for every day and period, the start is on or before the reference day."""
    assert date.fromisoformat(strf_date(period, ref)) <= ref


@given(ref=st.dates(min_value=date(1971, 1, 1), max_value=date(9999, 12, 31)))
def test_a_month_is_28_to_31_days(ref):
    """Property: `month` goes back between 28 and 31 days, never more, never less."""
    back = ref - date.fromisoformat(strf_date("month", ref))
    assert timedelta(days=28) <= back <= timedelta(days=31)


def test_beat_runs_the_report_at_midnight_in_time_zone(settings):
    """The beat entry names a registered task and is due at 00:00 local time, not before."""
    from celery_uncovered import celery_app

    entry = settings.CELERY_BEAT_SCHEDULE["produce-csv-reports"]
    assert entry["task"] in celery_app.tasks
    assert entry["args"] == ("today",)
    schedule = entry["schedule"]
    schedule.app = celery_app  # crontab reads the app's timezone
    tz = celery_app.timezone
    last_run = datetime(2026, 3, 1, 0, 0, tzinfo=tz)
    with freeze_time(datetime(2026, 3, 1, 23, 59, tzinfo=tz)):
        assert not schedule.is_due(last_run).is_due
    with freeze_time(datetime(2026, 3, 2, 0, 0, 1, tzinfo=tz)):
        assert schedule.is_due(last_run).is_due


def test_every_scheduled_task_is_registered(settings):
    """The tutorial's schedule named a task that did not exist; ours cannot."""
    from celery_uncovered import celery_app

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name
