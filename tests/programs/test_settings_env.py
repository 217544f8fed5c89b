"""Settings read from the environment as an operator writes it: empty, mistyped, negative."""

import subprocess
import sys

import pytest

from tests.support.project import ROOT, new_user_env

SHOW = "from django.conf import settings; print(settings.{name})"


def settings_value(tmp_path, name: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Load config.settings.local in a new process with ``env`` and print one setting."""
    code = f"import django; django.setup(); {SHOW.format(name=name)}"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=new_user_env(
            DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path), **env
        ),
    )  # fmt: skip


def test_an_empty_broker_url_means_the_documented_embedded_default(tmp_path):
    """`CELERY_BROKER_URL=` is unset, not an AMQP URL with no host (kombu's localhost)."""
    done = settings_value(tmp_path, "CELERY_BROKER_URL", CELERY_BROKER_URL="")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "filesystem://localhost/"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("REPORT_STALL_SECONDS", "abc", "REPORT_STALL_SECONDS='abc' is not a number"),
        ("GITHUB_MAX_RETRIES", "2.5", "GITHUB_MAX_RETRIES='2.5' is not a whole number"),
        ("GITHUB_MAX_WAIT", "-5", "GITHUB_MAX_WAIT='-5' must be 0 or more"),
        ("ERROR_MAIL_WINDOW", "-1", "ERROR_MAIL_WINDOW='-1' must be 0 or more"),
        ("GITHUB_READ_TIMEOUT", "0", "GITHUB_READ_TIMEOUT='0' must be more than 0"),
    ],
)
def test_a_bad_numeric_setting_names_the_variable_and_its_value(tmp_path, name, value, says):
    """One ImproperlyConfigured naming what to fix, not `could not convert string to float: ''`."""
    done = settings_value(tmp_path, name, **{name: value})
    assert done.returncode != 0
    assert f"ImproperlyConfigured: {says}" in done.stderr, done.stderr[-2000:]
