"""An operator's typos in the production environment: one line naming the variable, at start-up.

Each of these used to start a site that refused every request or redirected it for ever.
"""

import importlib
import os
import sys
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

GOOD = {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "app.example.com"}


def production(**env: str):
    """config.settings.production read afresh under GOOD plus ``env``."""
    sys.modules.pop("config.settings.production", None)
    with mock.patch.dict(os.environ, {**GOOD, **env}):
        return importlib.import_module("config.settings.production")


@pytest.mark.parametrize(
    "hosts", ["https://app.example.com", "app.example.com/", "app.example.com:443/reports"]
)
def test_an_allowed_host_written_as_a_url_is_refused(hosts):
    """Django would answer every request 400 DisallowedHost: a host name is not a URL."""
    with pytest.raises(
        ImproperlyConfigured, match=r"DJANGO_ALLOWED_HOSTS: .* is a URL, not a host"
    ):
        production(DJANGO_ALLOWED_HOSTS=hosts)


@pytest.mark.parametrize(
    "header", ["X-Forwarded-Proto", "x-forwarded-proto", "HTTP_X_FORWARDED_PROTO"]
)
def test_the_proxy_header_may_be_named_as_sent_or_as_django_spells_it(header):
    assert production(DJANGO_SECURE_PROXY_SSL_HEADER=header).SECURE_PROXY_SSL_HEADER == (
        "HTTP_X_FORWARDED_PROTO",
        "https",
    )


@pytest.mark.parametrize("header", ["X-Forwarded-Proto: https", "X-Forwarded-Proto,https", "a b"])
def test_a_proxy_header_that_cannot_be_a_header_name_is_refused(header):
    """A header Django never sees meant a redirect to HTTPS for every request: a loop."""
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECURE_PROXY_SSL_HEADER="):
        production(DJANGO_SECURE_PROXY_SSL_HEADER=header)


def teardown_module():
    sys.modules.pop("config.settings.production", None)


@pytest.mark.parametrize(
    "name",
    ["DJANGO_SESSION_COOKIE_SECURE", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_HSTS_PRELOAD"],
)
def test_a_yes_no_setting_with_a_typo_is_refused_not_read_as_false(name):
    with pytest.raises(ImproperlyConfigured, match=f"{name}='ture' is not true or false"):
        production(**{name: "ture"})
    assert getattr(production(**{name: "off"}), name.removeprefix("DJANGO_")) is False
