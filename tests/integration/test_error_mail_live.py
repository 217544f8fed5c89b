"""Scenario 2 live: a 500 becomes exactly one e-mail, sent by a real worker over real SMTP."""

import contextlib
import time

import pytest
from django.test import Client
from pytest_celery_live.waiting import DeadlinePassed, wait_until

from tests.support.absence import stays_false

pytestmark = pytest.mark.live


def wait_for_mail(smtp_server, count: int, timeout: float = 30.0) -> list:
    """What the mailbox holds once it has ``count`` messages (or whatever came by the deadline)."""
    with contextlib.suppress(DeadlinePassed):  # the test's assertion says what is missing
        wait_until(
            lambda: len(smtp_server.mailbox.messages) >= count, timeout, "mail", interval=0.1
        )
    return list(smtp_server.mailbox.messages)


def test_a_500_reaches_the_admins_once_over_smtp(celery_live_proc_worker, smtp_server, settings):
    """GET /report-error → 500 → one e-mail to ADMINS naming ZeroDivisionError."""
    response = Client(raise_request_exception=False).get("/report-error")
    assert response.status_code == 500
    [message] = wait_for_mail(smtp_server, 1)
    assert message["To"] == settings.ADMINS[0][1]
    assert "ZeroDivisionError" in message["Subject"]
    assert "ZeroDivisionError" in message.get_body(("plain",)).get_content()
    stays_false(lambda: len(smtp_server.mailbox.messages) > 1, 1, "a second e-mail")


def test_an_smtp_outage_delays_the_mails_and_loses_none(celery_live_proc_worker, smtp_server):
    """SMTP down for 5 errors; back up: all 5 e-mails arrive, none twice."""
    retries = celery_live_proc_worker.log_text().count("Retry in")
    smtp_server.stop()
    try:
        client = Client(raise_request_exception=False)
        for _ in range(5):
            assert client.get("/report-error").status_code == 500
        celery_live_proc_worker.wait_until(
            lambda: celery_live_proc_worker.log_text().count("Retry in") >= retries + 5, 20,
            "the worker to meet the outage and schedule five retries",
        )  # fmt: skip
    finally:
        smtp_server.start()
    messages = wait_for_mail(smtp_server, 5, timeout=30)
    stays_false(lambda: len(smtp_server.mailbox.messages) > 5, 2, "an e-mail sent twice")
    assert len(messages) == 5
    assert len(smtp_server.mailbox.messages) == 5
    assert {m["Message-ID"] for m in smtp_server.mailbox.messages}.__len__() == 5


def test_one_500_under_runserver_mails_the_admins_once(threads_worker, smtp_server, runserver):
    """A 500 served by `runserver` with the local settings sends one e-mail, not two.

    The user's case: config.settings.local (DEBUG on, so require_debug_true lets mail go) under
    the real development server, whose "GET /report-error" 500 line goes to the django.server
    logger; a threads worker sends the mail to a real SMTP server.
    """
    server = runserver("config.settings.local")
    assert server.get("/report-error") == 500
    wait_for_mail(smtp_server, 1)
    stays_false(lambda: len(smtp_server.mailbox.messages) > 1, 2, "a second e-mail")
    subjects = [m["Subject"] for m in smtp_server.mailbox.messages]
    assert len(subjects) == 1, subjects
    assert "ZeroDivisionError" in subjects[0]


def test_an_error_mail_task_delivered_twice_sends_one_mail(celery_live_proc_worker, smtp_server):
    """Two copies of one e-mail task id on two worker processes: one e-mail; the other stops.

    Relies on the task id's claim (``advex/mailclaims.py``): without it both copies send.
    """
    from celery.utils import uuid

    from celery_uncovered.toyex.errormail.mail import report_error_task

    task_id, marker = uuid(), f"duplicate-{time.monotonic_ns()}"
    for _ in range(2):  # the broker delivers the same message twice
        report_error_task.apply_async((marker, "body"), task_id=task_id)

    def mails() -> list:
        return [m for m in smtp_server.mailbox.messages if marker in m["Subject"]]

    celery_live_proc_worker.wait_until(mails, 30, "the e-mail")
    # The other copy ran (at once, or after one retry wait): it found the claim and stopped.
    stopped = f"e-mail task {task_id}: another copy already sent it"
    celery_live_proc_worker.wait_until(
        lambda: stopped in celery_live_proc_worker.log_text(), 30, "the other copy"
    )
    assert len(mails()) == 1
