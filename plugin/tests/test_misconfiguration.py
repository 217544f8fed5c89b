"""Misconfiguration fails, absence skips: only "nothing listens there" is a skip, and only off CI.

A broker that answers but refuses — a wrong password, an unknown vhost or host, a bad URL — fails
the test at once, in one line naming the setting to fix, CI or not.
"""

from __future__ import annotations

import os
import socket

import pytest

TEST = """
from proj import add


def test_a_live_test(celery_live_proc_worker):
    assert celery_live_proc_worker.wait(add.delay(1, 1)) == 2
"""


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def needs(port: int, what: str) -> None:
    if not listening(port):
        message = f"needs {what} on 127.0.0.1:{port}"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_refusal_line(result: pytest.RunResult) -> str:
    lines = [line for line in result.outlines if "celery_live: the " in line and "refused" in line]
    assert len({line.strip() for line in lines}) == 1, result.stdout.str()[-3000:]
    return lines[0]


@pytest.mark.parametrize(
    ("url", "port", "said"),
    [
        ("amqp://guest:wrong-password@127.0.0.1:5672//", 5672, "ACCESS_REFUSED"),
        ("amqp://guest:guest@127.0.0.1:5672/no-such-vhost", 5672, "no-such-vhost"),
        ("redis://no-such-user:wrong-password@127.0.0.1:6379/14", 6379, "username-password"),
        ("redis://no-such-host.invalid:6379/14", 6379, "no-such-host.invalid"),
    ],
    ids=["rabbitmq-wrong-password", "rabbitmq-unknown-vhost", "redis-unknown-user",
         "unknown-host"],
)  # fmt: skip
def test_a_broker_that_refuses_fails_in_one_line_naming_the_setting(plain_project, url, port, said):
    needs(port, "the broker")
    plain_project.makepyfile(test_live=TEST)
    result = plain_project.runpytest_subprocess(
        f"--celery-live-broker={url}", "--celery-live-no-ci", timeout=300
    )
    result.assert_outcomes(errors=1)
    line = one_refusal_line(result)
    assert "fix --celery-live-broker" in line
    assert said in line
    assert "wrong-password" not in result.stdout.str(), "the password was printed"


def test_the_setting_named_is_where_the_url_came_from(plain_project, monkeypatch):
    """From the ini file, the line says the ini option."""
    needs(5672, "RabbitMQ")
    monkeypatch.delenv("CELERY_LIVE_BROKER", raising=False)  # this run's choice would come first
    plain_project.makeini(
        "[pytest]\ncelery_live_app = proj\npythonpath = .\n"
        "celery_live_broker = amqp://guest:nope@127.0.0.1:5672//\n"
    )
    plain_project.makepyfile(test_live=TEST)
    result = plain_project.runpytest_subprocess("-p", "no:cacheprovider", timeout=300)
    assert "fix the celery_live_broker ini option" in one_refusal_line(result)


@pytest.mark.parametrize(
    ("args", "ci", "outcome"),
    [
        ((), None, "skipped"),
        (("--celery-live-ci",), None, "errors"),
        ((), "true", "errors"),
        (("--celery-live-no-ci",), "true", "skipped"),
    ],
    ids=["no-ci", "flag", "ci-env", "flag-beats-env"],
)
def test_nothing_listening_skips_unless_the_ci_rule_says_fail(
    plain_project, monkeypatch, args, ci, outcome
):
    if ci:
        monkeypatch.setenv("CI", ci)
    plain_project.makepyfile(test_live=TEST)
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = plain_project.runpytest_subprocess(
        f"--celery-live-broker={url}", "-rs", *args, timeout=300
    )
    result.assert_outcomes(**{outcome: 1})
    assert "nothing listens there" in result.stdout.str()


def test_the_ini_option_sets_the_ci_rule(plain_project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    plain_project.makeini(
        "[pytest]\ncelery_live_app = proj\npythonpath = .\ncelery_live_ci = false\n"
    )
    plain_project.makepyfile(test_live=TEST)
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = plain_project.runpytest_subprocess(f"--celery-live-broker={url}", timeout=300)
    result.assert_outcomes(skipped=1)
