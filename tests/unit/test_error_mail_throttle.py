"""The error e-mail throttle: what is identical, the atomic claim, the count, failing open."""

import logging
import sys
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from celery_uncovered.advex import mailthrottle
from celery_uncovered.toyex.errormail import mail
from celery_uncovered.toyex.models import ErrorMailClaim


def error_record(exc: Exception, host: str = "testserver", path: str = "/report-error") -> object:
    """A django.request ERROR record for ``exc`` raised here, on a request like Django's."""
    request = RequestFactory().get(path, HTTP_HOST=host)
    request.resolver_match = resolve(path.split("?")[0])
    try:
        raise exc
    except Exception:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (path,), exc_info
    )
    record.request, record.status_code = request, 500
    return record


@pytest.fixture
def handler(settings):
    """A handler with a 60 s window, in a process that remembers no broker outage."""
    settings.ERROR_MAIL_WINDOW = 60.0
    mail.BROKER_OUTAGE.reset()
    yield mail.CeleryHandler()
    mail.BROKER_OUTAGE.reset()


def test_the_fingerprint_ignores_host_query_and_message_arguments():
    """What the request chose (Host, query string, the path in the message) makes no new e-mail."""
    one = error_record(ZeroDivisionError("a"), host="a.example", path="/report-error?x=1")
    two = error_record(ZeroDivisionError("b"), host="b.example", path="/report-error?y=2")
    assert mailthrottle.error_fingerprint(one) == mailthrottle.error_fingerprint(two)


def test_the_fingerprint_tells_exception_classes_apart():
    """A different exception class is a different error."""
    one = error_record(ZeroDivisionError("a"))
    two = error_record(KeyError("a"))
    assert mailthrottle.error_fingerprint(one) != mailthrottle.error_fingerprint(two)


def test_the_first_claim_sends_and_the_next_ones_only_count(db):
    """First claim in a window is first; the next two add to its count."""
    record = error_record(ZeroDivisionError())
    claims = [mailthrottle.claim_error_mail(record, 60.0) for _ in range(3)]
    assert [c.first for c in claims] == [True, False, False]
    assert ErrorMailClaim.objects.get().count == 3


def test_windows_are_fixed_slots_of_the_window_length():
    """Two moments in one slot share its start; the next slot starts a window later."""
    start = mailthrottle.window_start(datetime(2026, 1, 1, 0, 0, 59, tzinfo=UTC), 60.0)
    assert start == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert mailthrottle.window_start(datetime(2026, 1, 1, 0, 1, tzinfo=UTC), 60.0) != start


def test_identical_errors_queue_one_mail_and_one_summary(handler, db):
    """Three identical errors: one e-mail queued, one summary scheduled after the window."""
    with mock.patch.object(mail, "publish_or_fail_fast") as publish:
        for _ in range(3):
            handler.emit(error_record(ZeroDivisionError()))
    tasks = [c.args[0] for c in publish.call_args_list]
    assert tasks == [mail.report_error_task, mail.error_mail_summary_task]
    assert 0 < publish.call_args.kwargs["countdown"] <= 60.0 + mailthrottle.SUMMARY_GRACE


def test_a_failed_claim_still_sends_the_mail(handler, caplog):
    """The database failing must not lose the first e-mail: sent unthrottled."""
    with (
        mock.patch.object(mailthrottle, "claim_error_mail", side_effect=RuntimeError("db down")),
        mock.patch.object(mail, "publish_or_fail_fast") as publish,
    ):
        handler.emit(error_record(ZeroDivisionError()))
    assert publish.call_args.args[0] is mail.report_error_task
    assert "sending it unthrottled" in caplog.text


def test_the_summary_mails_the_count_and_says_nothing_for_a_single_error(
    celery_live_eager, db, mailoutbox
):
    """Count 3: one summary e-mail saying so; count 1: none."""
    start = mailthrottle.window_start(timezone.now(), 60.0)
    for fingerprint, count in (("thrice", 3), ("once", 1)):
        ErrorMailClaim.objects.create(
            fingerprint=fingerprint, window_start=start, window_seconds=60, count=count,
            description="ZeroDivisionError (django.request, /report-error)",
        )  # fmt: skip
        mail.error_mail_summary_task.delay(fingerprint, start.isoformat())
    [message] = mailoutbox
    assert "happened 3 times" in message.subject


@pytest.mark.parametrize(
    ("count", "others"),
    [(2, "the other one was identical"), (3, "the other 2 were identical")],
)
def test_the_summary_counts_the_others_in_good_english(db, count, others):
    """Twice: "the other one was identical", not "the other 1 were identical"."""
    start = mailthrottle.window_start(timezone.now(), 60.0)
    ErrorMailClaim.objects.create(
        fingerprint="f", window_start=start, window_seconds=60, count=count,
        description="ZeroDivisionError (django.request, /report-error)",
    )  # fmt: skip
    _, body = mailthrottle.closed_window_summary("f", start)
    assert others in body
