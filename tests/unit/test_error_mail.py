"""Scenario 2 in the fast tier: the handler queues, falls back, and never loops."""

import logging
from unittest import mock

import pytest
from django.test import Client

from celery_uncovered.toyex.errormail import mail


@pytest.fixture
def handler():
    """A fresh handler, in a process that remembers no broker outage."""
    mail.BROKER_OUTAGE.reset()
    yield mail.CeleryHandler()
    mail.BROKER_OUTAGE.reset()


def test_the_handler_queues_exactly_one_task_with_what_emit_passes(handler):
    """send_mail → one apply_async with subject, message and the html part; no SMTP here."""
    with mock.patch.object(mail.report_error_task, "apply_async") as queued:
        handler.send_mail("subject", "body", fail_silently=True, html_message="<p>body</p>")
    queued.assert_called_once_with(
        ("subject", "body"), {"html_message": "<p>body</p>"}, connection=mock.ANY, retry=False
    )


def test_the_publish_tries_the_broker_once_with_a_short_timeout(handler, settings):
    """The e-mail's publish uses its own connection: one attempt, MAIL_BROKER_CONNECT_TIMEOUT."""
    with mock.patch.object(mail.report_error_task, "apply_async") as queued:
        handler.send_mail("subject", "body")
    connection = queued.call_args.kwargs["connection"]
    assert connection.connect_timeout == settings.MAIL_BROKER_CONNECT_TIMEOUT
    assert connection.transport_options["max_retries"] == 0


def test_after_a_failed_publish_the_next_mails_skip_the_broker(handler, mailoutbox):
    """Broker down once: the next e-mails within MAIL_BROKER_DOWN_MEMORY skip trying it."""
    with mock.patch.object(mail, "publish_or_fail_fast", side_effect=OSError("down")) as publish:
        for _ in range(3):
            handler.send_mail("subject", "body")
    assert publish.call_count == 1
    assert len(mailoutbox) == 3


def test_when_the_broker_is_down_the_mail_is_sent_synchronously(handler, mailoutbox, caplog):
    """Broker down: the e-mail goes out at once, and a warning says so."""
    with mock.patch.object(mail, "publish_or_fail_fast", side_effect=OSError("down")):
        handler.send_mail("subject", "body", fail_silently=True)
    assert [m.subject for m in mailoutbox] == ["[Django] subject"]
    assert "could not queue the admin e-mail (broker or result store down)" in caplog.text


def test_nothing_raises_into_the_request_when_everything_is_down(handler, caplog):
    """Broker and SMTP both down: logged, not raised."""
    with (
        mock.patch.object(mail, "publish_or_fail_fast", side_effect=OSError("down")),
        mock.patch("django.utils.log.AdminEmailHandler.send_mail", side_effect=OSError("smtp")),
    ):
        handler.send_mail("subject", "body")
    assert "could not send the admin e-mail synchronously" in caplog.text


def test_an_error_inside_the_mail_task_is_not_mailed_again(handler):
    """Inside report_error_task, the handler sends nothing: no loop."""
    fake_task = mock.Mock()
    fake_task.name = mail.TASK_NAME
    with (
        mock.patch.object(mail, "current_task", fake_task),
        mock.patch.object(mail.report_error_task, "apply_async") as queued,
    ):
        handler.send_mail("subject", "body")
    queued.assert_not_called()


def test_the_subject_names_the_exception(handler):
    """The handler appends the exception class to Django's subject."""
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        record = logging.LogRecord("django.request", logging.ERROR, "", 0, "Boom", (), None)
        import sys

        record.exc_info = sys.exc_info()
    with mock.patch.object(mail.report_error_task, "apply_async") as queued:
        handler.emit(record)
    subject = queued.call_args.args[0][0]
    assert subject.endswith("Boom (ZeroDivisionError)")


def test_the_mail_task_sends_to_admins_in_eager_mode(celery_live_eager, mailoutbox, settings):
    """The task calls mail_admins: the admins get the message."""
    mail.report_error_task.delay("subject", "body", fail_silently=True)
    [message] = mailoutbox
    assert message.to == [settings.ADMINS[0][1]]


def test_the_report_error_view_is_absent_without_debug_or_the_setting(settings, db):
    """In production settings (DEBUG off, REPORT_ERROR_VIEW off) /report-error is a 404."""
    settings.DEBUG = False
    settings.REPORT_ERROR_VIEW = False
    assert Client().get("/report-error").status_code == 404


def test_production_settings_disable_the_view_and_mail_only_without_debug():
    """config.settings.production: no /report-error, e-mails gated by require_debug_false."""
    import importlib
    import os

    env = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "app.example.com"}
    with mock.patch.dict(os.environ, env):
        production = importlib.import_module("config.settings.production")
    assert production.REPORT_ERROR_VIEW is False
    assert production.DEBUG is False
    handler = production.LOGGING["handlers"]["mail_admins"]
    assert handler["filters"] == ["require_debug_false"]
    assert handler["class"] == "celery_uncovered.toyex.errormail.mail.CeleryHandler"


def test_the_development_server_s_access_log_does_not_reach_mail_admins():
    """django.server's "GET /x" 500 line stops there: django.request alone mails the error."""
    server_logger = logging.getLogger("django.server")
    assert server_logger.propagate is False
    assert not any(isinstance(h, mail.CeleryHandler) for h in server_logger.handlers)
