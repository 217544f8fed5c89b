"""A forged Host header never reaches the admin e-mail's subject or its "Request URL" (issue 25)."""

from unittest import mock

import pytest
from django.test import Client

from celery_uncovered.toyex.errormail import mail

FORGED = "evil-forged.example"


@pytest.fixture
def queued_mails():
    """The admin e-mails the handler queues (subject, body), instead of a broker."""
    mail.BROKER_OUTAGE.reset()
    with mock.patch.object(mail.report_error_task, "apply_async") as apply_async:
        yield apply_async
    mail.BROKER_OUTAGE.reset()


def sent(queued_mails) -> list[tuple[str, str]]:
    return [call.args[0] for call in queued_mails.call_args_list]


def test_a_forged_host_is_named_as_forged_not_spelled_out(queued_mails, db):
    """Django logs DisallowedHost at ERROR: the admins hear of it without the attacker's text."""
    answer = Client(HTTP_HOST=FORGED).get("/reports/")
    assert answer.status_code == 400
    ((subject, body),) = sent(queued_mails)
    assert "DisallowedHost" in subject
    assert "not in ALLOWED_HOSTS" in subject
    assert FORGED not in subject
    request_url = next(line for line in body.splitlines() if line.startswith("Request URL:"))
    assert FORGED not in request_url


def test_an_allowed_host_keeps_its_request_url(queued_mails, db, settings):
    settings.REPORT_ERROR_VIEW = True
    with pytest.raises(ZeroDivisionError):
        Client(raise_request_exception=True).get("/report-error")
    ((_subject, body),) = sent(queued_mails)
    assert "Request URL: http://testserver/report-error" in body
