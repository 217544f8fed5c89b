"""`manage.py hot_repos_report`: bad input is a one-line error and queues nothing."""

from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from celery_uncovered.messaging.sending import PERSON_RETRY_POLICY
from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.management.commands.hot_repos_report import (
    POLL_FIRST,
    POLL_MAX,
    next_poll_delay,
    progress_bar,
)
from celery_uncovered.toyex.models import Report


@pytest.fixture
def queued():
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "fortnight"}, "invalid period 'fortnight'"),
        ({"period": "week", "date": "2026-02-30"}, "no such day"),
        ({"period": "week", "date": "../../etc"}, "expected YYYY-MM-DD"),
        ({"period": "week", "date": "2099-01-01"}, "in the future"),
        ({"period": "week", "date": "1900-01-01"}, "before GitHub existed"),
    ],
)
@freeze_time("2026-11-24")
def test_bad_input_is_a_clear_error_and_nothing_is_queued(options, message, queued, db):
    """The command exits non-zero with one line saying what was wrong; no task is sent."""
    with pytest.raises(CommandError, match=message):
        call_command("hot_repos_report", **options)
    queued.assert_not_called()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_good_request_queues_one_report(queued):
    """A valid period and date queue exactly one produce task with them."""
    call_command("hot_repos_report", period="week", date="2026-11-01")
    report = Report.objects.get()
    queued.assert_called_once_with(
        ("week", "2026-11-01"), task_id=report.task_id, retry_policy=PERSON_RETRY_POLICY
    )
    assert (report.status, report.since) == ("queued", "2026-10-25")


def test_progress_bar_shows_pages_out_of_five():
    """The terminal bar fills with the pages fetched and never overflows."""
    assert progress_bar(0, 5, width=10) == "[..........] 0/5 pages"
    assert progress_bar(3, 5, width=10) == "[######....] 3/5 pages"
    assert progress_bar(7, 5, width=10) == "[##########] 5/5 pages"


@pytest.mark.parametrize("timeout", ["0", "-5", "nan", "soon"])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_refused(timeout, queued, db):
    """--timeout 0, -5 and the like are an argument error; nothing is queued."""
    with pytest.raises(CommandError, match="--timeout: expected a positive number of seconds"):
        call_command("hot_repos_report", "--period", "week", "--wait", "--timeout", timeout)
    queued.assert_not_called()


def test_polling_backs_off_while_nothing_changes_and_hurries_when_something_does():
    """Waits grow by half up to the cap while the report stands still; a change resets them."""
    delays = [POLL_FIRST]
    for _ in range(20):
        delays.append(next_poll_delay(delays[-1], changed=False))
    assert delays == sorted(delays)
    assert delays[-1] == POLL_MAX
    assert next_poll_delay(POLL_MAX, changed=True) == POLL_FIRST


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--period", "week", "--timeout", "5"], "--timeout is how long --wait"),
        (["--follow", "abc", "--date", "2026-11-13"], "--date picks the day of a new report"),
    ],
)
def test_an_option_the_command_would_ignore_is_a_usage_error(argv, message, queued, db):
    """`--timeout` without `--wait`, `--date` with `--follow`: refused, not silently dropped."""
    with pytest.raises(CommandError, match=message) as refused:
        call_command("hot_repos_report", *argv)
    assert refused.value.returncode == 2
    queued.assert_not_called()
    assert not Report.objects.exists()


@freeze_time("2026-11-24")
def test_asking_again_without_wait_names_the_queued_report_and_its_reference_day(
    queued, db, capsys
):
    """Not waiting: "already queued: <id>; not queueing another", with the day the person typed."""
    call_command("hot_repos_report", "--period", "week", "--date", "2026-11-13")
    first = Report.objects.get()
    capsys.readouterr()
    call_command("hot_repos_report", "--period", "week", "--date", "2026-11-13")
    out = capsys.readouterr().out
    assert f"already queued: {first.task_id}; not queueing another" in out
    assert "following it instead" not in out
    assert "2026-11-13" in out  # the reference day typed
    assert "2026-11-06" in out  # and where the range starts
    queued.assert_called_once()
