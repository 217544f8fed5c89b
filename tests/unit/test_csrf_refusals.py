"""A CSRF refusal says what it refused, and Django's own reason reaches the log (issue 25, 1)."""

import logging
from unittest import mock

import pytest
from django.test import Client

from celery_uncovered.toyex.hotrepos import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


def with_token() -> tuple[Client, str]:
    browser = Client(enforce_csrf_checks=True)
    browser.get("/reports/")
    return browser, browser.cookies["csrftoken"].value


def test_a_foreign_origin_is_named_as_the_refusal_and_logged(queued, caplog):
    """A valid token from an origin the site does not trust: the answer blames the Origin."""
    browser, token = with_token()
    with caplog.at_level(logging.WARNING):
        answer = browser.post(
            "/reports/", {"period": "week"},
            headers={"X-CSRFToken": token, "Origin": "https://elsewhere.example"},
        )  # fmt: skip
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert "Origin 'https://elsewhere.example'" in error
    assert "CSRF token" not in error
    logged = [r for r in caplog.records if r.name == "django.security.csrf"]
    assert any("Origin checking failed" in r.getMessage() for r in logged), caplog.text
    queued.assert_not_called()


def test_a_missing_token_is_named_as_the_refusal(queued):
    browser, _token = with_token()
    answer = browser.post("/reports/", {"period": "week"})
    assert answer.status_code == 403
    assert "needs the page's CSRF token" in answer.json()["error"]
    assert "missing" in answer.json()["error"]


def test_a_missing_cookie_is_named_as_the_refusal(queued):
    answer = Client(enforce_csrf_checks=True).post("/reports/", {"period": "week"})
    assert answer.status_code == 403
    assert "CSRF cookie was not sent" in answer.json()["error"]


def test_an_https_post_without_referer_or_origin_names_the_referer(queued):
    browser, token = with_token()
    answer = browser.post(
        "/reports/", {"period": "week"}, secure=True, headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 403
    assert "Referer" in answer.json()["error"]
