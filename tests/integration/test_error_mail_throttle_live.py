"""Identical errors make one admin e-mail and a count, across web processes, over real SMTP.

The web servers are real ``runserver`` children with ``ERROR_MAIL_WINDOW`` on, sharing the test
database (where the claim lives); a threads worker sends the e-mails and the window's summary.
"""

import contextlib
import time

import pytest
from pytest_celery_live.waiting import DeadlinePassed, wait_until

from tests.support.absence import stays_false

pytestmark = pytest.mark.live

WINDOW = 5.0
# What a test's burst of requests and its first e-mails need of one window (well under 5 s here).
BURST = 3.5


def subjects_after(smtp_server, count: int, timeout: float) -> list[str]:
    """The subjects received once ``count`` arrived (or the deadline passed)."""
    with contextlib.suppress(DeadlinePassed):  # the caller asserts on what did arrive
        wait_until(lambda: len(smtp_server.mailbox.messages) >= count, timeout, "e-mails")
    return [m["Subject"] for m in smtp_server.mailbox.messages]


def window_left() -> float:
    """Seconds until the fixed window (``time.time() // WINDOW``) that holds now ends."""
    return WINDOW - time.time() % WINDOW


def in_a_window_with(seconds: float) -> None:
    """Be ``seconds`` or more from the window's end, so a burst cannot straddle two windows.

    Documented use of ``time.sleep``: it waits for the clock (the next window's start) when too
    little of this one is left, not for something that must not happen.
    """
    if window_left() < seconds:
        time.sleep(window_left() + 0.05)  # documented use: waits for the clock


def test_identical_500s_from_two_servers_make_one_mail_then_a_count(
    threads_worker, smtp_server, runserver
):
    """Six 500s alternating between two web processes: the first mailed at once, then "6 times"."""
    servers = [runserver(ERROR_MAIL_WINDOW=str(WINDOW)) for _ in range(2)]
    in_a_window_with(BURST)
    for i in range(6):
        assert servers[i % 2].get("/report-error") == 500
    first = subjects_after(smtp_server, 1, timeout=WINDOW - 1)
    assert len(first) == 1, first
    assert "ZeroDivisionError" in first[0]
    quiet = min(1.0, window_left() - 0.3)  # the rest of the window, up to 1 s
    stays_false(lambda: len(smtp_server.mailbox.messages) > 1, quiet, "a second e-mail inside")
    subjects = subjects_after(smtp_server, 2, timeout=WINDOW + 15)
    assert len(subjects) == 2, subjects
    assert "ZeroDivisionError" in subjects[1]
    assert "happened 6 times" in subjects[1]
    stays_false(lambda: len(smtp_server.mailbox.messages) > 2, 1.5, "a third e-mail")


def test_different_errors_mail_once_each_and_bad_hosts_cannot_vary_past_the_window(
    threads_worker, smtp_server, runserver
):
    """A 500 and four bad Host headers (each a new value): two e-mails, then "4 times"."""
    server = runserver(ERROR_MAIL_WINDOW=str(WINDOW))
    in_a_window_with(BURST)
    assert server.get("/report-error") == 500
    for i in range(4):
        assert server.get("/reports/", Host=f"attacker-{i}.example") == 400
    firsts = subjects_after(smtp_server, 2, timeout=WINDOW - 1)
    assert len(firsts) == 2, firsts
    assert sum("ZeroDivisionError" in s for s in firsts) == 1
    assert sum("Invalid HTTP_HOST" in s for s in firsts) == 1
    subjects = subjects_after(smtp_server, 3, timeout=WINDOW + 15)
    assert len(subjects) == 3, subjects
    assert "DisallowedHost" in subjects[2]
    assert "happened 4 times" in subjects[2]
    # The 500 happened once: no summary for it.
    stays_false(lambda: len(smtp_server.mailbox.messages) > 3, 1.5, "a summary of the one 500")
