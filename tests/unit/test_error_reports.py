"""Error reports (the DEBUG page, the admin e-mail) never show a password from a URL setting."""

import logging
import sys

import pytest
from django.test import Client, RequestFactory
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter

PASSWORD = "s3cr3t-Broker-pw"
DB_PASSWORD = "db-Pw-9f8e"


@pytest.fixture
def secret_urls(settings):
    """A broker, a result backend and a custom setting with credentials in their URLs."""
    settings.CELERY_BROKER_URL = f"amqp://celery:{PASSWORD}@rabbit.example:5672//"
    settings.CELERY_RESULT_BACKEND = f"redis://:{PASSWORD}@redis.example:6379/1"
    settings.SOME_SERVICE = {"url": f"postgres://app:{DB_PASSWORD}@db.example/app"}


def test_the_debug_page_hides_url_passwords_and_keeps_the_rest(secret_urls, settings):
    """The technical 500 page shows the broker's host and user, never its password."""
    settings.DEBUG = True
    page = Client(raise_request_exception=False).get("/report-error").content.decode()
    assert "ZeroDivisionError" in page
    assert PASSWORD not in page
    assert DB_PASSWORD not in page
    assert "rabbit.example:5672" in page


def test_the_admin_email_hides_url_passwords(secret_urls, settings):
    """AdminEmailHandler's text and HTML parts (ExceptionReporter) carry no URL password."""
    request = RequestFactory().get("/report-error")
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        exc_info = sys.exc_info()
    reporter = ExceptionReporter(request, *exc_info, is_email=True)
    for body in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "CELERY_BROKER_URL" in body
        assert PASSWORD not in body
        assert DB_PASSWORD not in body

    sent = []
    handler = AdminEmailHandler(include_html=True)
    handler.send_mail = lambda subject, message, **kw: sent.append((message, kw["html_message"]))
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), exc_info)
    record.request = request
    handler.emit(record)
    [(text, html)] = sent
    assert "rabbit.example" in text
    assert PASSWORD not in text + html


def test_the_github_url_shows_without_its_password_and_the_token_stays_hidden(settings):
    """GITHUB_API_URL (hidden whole by Django's `API`) shows its host; GITHUB_TOKEN does not."""
    settings.GITHUB_API_URL = f"https://proxy:{PASSWORD}@github-proxy.example/api"
    settings.GITHUB_TOKEN = "ghp_neverShownAnywhere0123"
    settings.AUTH_USER_MODEL = "auth.User"
    request = RequestFactory().get("/report-error", HTTP_AUTHORIZATION="Bearer ghp_header0123")
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        exc_info = sys.exc_info()
    text = ExceptionReporter(request, *exc_info, is_email=True).get_traceback_text()
    assert "ghp_header0123" not in text
    assert "GITHUB_API_URL = 'https://proxy:********@github-proxy.example/api'" in text
    assert "AUTH_USER_MODEL = 'auth.User'" in text
    assert PASSWORD not in text
    assert "ghp_neverShownAnywhere0123" not in text


def test_a_failed_chord_is_one_warning_line_without_a_traceback():
    """Celery's `Chord '<id>' raised: ...` (logger.exception) keeps its line, loses the trace."""
    from celery_uncovered.tricks.logs import ChordFailureWithoutTraceback

    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "celery.backends.redis", logging.ERROR, __file__, 1, "Chord %r raised: %r",
        ("abc", "Dependency x raised BadCredentials()"), exc_info,
    )  # fmt: skip
    assert ChordFailureWithoutTraceback().filter(record)
    assert (record.levelname, record.exc_info) == ("WARNING", None)
    assert "Traceback" not in logging.Formatter().format(record)
