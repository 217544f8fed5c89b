"""Scenario 2 with the broker down: the 500 answers at once and its e-mail goes out synchronously.

The web server here is a real ``runserver`` child whose broker URL points at a broker that is
really down (a private broker, SIGKILLed) or at a port that hangs up on every connection; the
mail goes to the real SMTP server of the run.
"""

import socket
import threading

import pytest
from django.conf import settings
from pytest_celery_live.selection import broker_kind
from pytest_celery_live.waiting import wait_until

pytestmark = [pytest.mark.live, pytest.mark.faults]

# What the runserver logs (toyex/errormail/mail.py) for each way an admin e-mail goes out with
# no broker.
TRIED_ONCE = "could not queue the admin e-mail (broker or result store down), sending it"
NOT_TRIED = "broker unreachable moments ago, sending the admin e-mail synchronously"


class HangUpPort:
    """A TCP port that accepts every connection and closes it at once, counting them."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed: the test is over
                return
            self.accepted += 1
            conn.close()

    @property
    def url(self) -> str:
        if broker_kind(settings.CELERY_BROKER_URL) == "redis":
            return f"redis://127.0.0.1:{self.port}/0"
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"


def test_with_the_broker_down_each_500_mails_synchronously_without_waiting(
    celery_live_private_broker, smtp_server, runserver
):
    """Broker killed: each 500's e-mail is sent over SMTP before the answer; one broker try only.

    Asserted as behaviour, not wall seconds (which depend on the machine): the first request
    tried the broker once and gave up (kombu's retries off: it logs the failure and mails), the
    next ones did not try it at all (the outage is remembered); the connection count on a port
    that hangs up is the next test's."""
    celery_live_private_broker.crash()
    server = runserver(CELERY_BROKER_URL=celery_live_private_broker.url)
    for sent in (1, 2, 3):
        assert server.get("/report-error") == 500
        assert len(smtp_server.mailbox.messages) == sent, server.log_text()[-3000:]
    assert "ZeroDivisionError" in smtp_server.mailbox.messages[-1]["Subject"]
    log = server.log_text()
    assert (log.count(TRIED_ONCE), log.count(NOT_TRIED)) == (1, 2), log[-3000:]


def test_the_fallback_tries_the_broker_once_and_then_remembers_it_is_down(smtp_server, runserver):
    """One connection attempt for the first e-mail, none for the next ones soon after: no retry."""
    broker = HangUpPort()
    try:
        server = runserver(CELERY_BROKER_URL=broker.url)
        for sent in (1, 2, 3):
            assert server.get("/report-error") == 500
            assert len(smtp_server.mailbox.messages) == sent
        assert broker.accepted == 1, f"{broker.accepted} connections to the broker"
    finally:
        broker.sock.close()


def test_with_the_first_broker_of_a_failover_list_down_the_mail_is_queued_on_the_next(
    celery_live_private_broker, celery_live_own_workers, smtp_server, runserver
):
    """A cluster's URL list with its first node down: the e-mail goes through the second node.

    Reports on the same list got 202 (Celery's own connection fails over); the e-mail's one quick
    attempt used to try the first URL alone, mail from the web process and log three chained
    tracebacks (issue 24, 3). Each URL is tried once now, none twice.
    """
    worker = celery_live_own_workers.start()
    celery_live_private_broker.crash()
    server = runserver(
        CELERY_BROKER_URL=f"{celery_live_private_broker.url};{settings.CELERY_BROKER_URL}"
    )

    assert server.get("/report-error") == 500
    mails = smtp_server.mailbox
    wait_until(lambda: mails.messages, 30, "the admin e-mail", context=server.log_text)
    assert "sending it synchronously" not in server.log_text()
    wait_until(
        lambda: "report_error_task" in worker.log_text() and "succeeded" in worker.log_text(),
        10,
        "the worker to log the e-mail task",
        context=worker.describe,
    )
    assert len(smtp_server.mailbox.messages) == 1
