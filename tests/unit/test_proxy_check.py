"""A redirect loop behind a TLS proxy names its cause in the log, once (an operator's bad day)."""

import logging

import pytest
from django.test import Client

from celery_uncovered.web.proxycheck import ProxyHeaderCheckMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    ProxyHeaderCheckMiddleware.warned = False
    yield
    ProxyHeaderCheckMiddleware.warned = False


def test_the_redirect_of_a_proxied_https_request_says_which_setting_is_missing(settings, caplog):
    settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER = True, None
    with caplog.at_level(logging.WARNING, logger="celery_uncovered.web.proxycheck"):
        for _ in range(3):
            answer = Client().get("/reports/", headers={"X-Forwarded-Proto": "https"})
            assert answer.status_code == 301
    said = [r.getMessage() for r in caplog.records if r.name == "celery_uncovered.web.proxycheck"]
    assert len(said) == 1, said
    assert "DJANGO_SECURE_PROXY_SSL_HEADER is not set" in said[0]


def test_with_the_header_set_nothing_is_redirected_or_said(settings, caplog):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    with caplog.at_level(logging.WARNING, logger="celery_uncovered.web.proxycheck"):
        answer = Client().get("/reports/", headers={"X-Forwarded-Proto": "https"})
    assert answer.status_code == 200
    assert not [r for r in caplog.records if r.name == "celery_uncovered.web.proxycheck"]


def test_a_plain_http_request_is_redirected_without_a_word(settings, caplog):
    settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER = True, None
    with caplog.at_level(logging.WARNING, logger="celery_uncovered.web.proxycheck"):
        assert Client().get("/reports/").status_code == 301
    assert not [r for r in caplog.records if r.name == "celery_uncovered.web.proxycheck"]
