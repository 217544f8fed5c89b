"""GitHub misbehaving, replayed from recorded responses: what a person reads on the status page.

Each test queues a report through the page's own POST route, follows its status URL the way the
page does, and checks both what the person reads and what the replay server saw (how often and
when each page was asked for).
"""

import pytest

from tests.support.absence import stays_false
from tests.support.faults import page_requests
from tests.support.report_status import follow_status

pytestmark = [pytest.mark.live, pytest.mark.faults]


def follow(client, timeout: float = 60.0) -> tuple[dict, set[str]]:
    """Queue a week's report and poll its status to the end: the last status and every notice."""
    answer = client.post("/reports/", {"period": "week", "date": "2026-11-24"})
    assert answer.status_code == 202, answer.content
    answers = follow_status(client, answer.json()["status_url"], timeout)
    return answers[-1], {a["notice"] for a in answers if a["notice"]}


def test_401_fails_fast_with_a_clear_message_and_no_retry(client, threads_worker, github):
    """Bad credentials: failed, the reason in words, page 1 asked for exactly once."""
    github.state.add_fault(1, "401")
    status, _ = follow(client)
    assert status["state"] == "failed"
    assert status["error"] == "page 1: GitHub rejected the credentials (401): Bad credentials"
    assert status["download_url"] is None
    assert len(page_requests(github, 1)) == 1


def test_422_fails_with_github_s_reason(client, threads_worker, github):
    """Validation failed: failed at once, GitHub's message shown, no retry."""
    github.state.add_fault(2, "422")
    status, _ = follow(client)
    assert status["state"] == "failed"
    assert status["error"] == "page 2: GitHub could not run this search (422): Validation Failed"
    assert len(page_requests(github, 2)) == 1


@pytest.mark.parametrize("kind", ["403", "429"])
def test_a_rate_limit_is_waited_out_exactly_as_long_as_github_asked(
    client, threads_worker, github, kind
):
    """Retry-After: 2 on page 3: the status says why it waits; the retry comes 2 s later.

    Relies on the countdown being Retry-After (not the exponential backoff of 0.2 s here).
    """
    github.state.add_fault(3, kind, wait=2)
    status, notices = follow(client)
    assert status["state"] == "done", status
    first, second = page_requests(github, 3)
    assert second - first >= 2.0
    # The wait itself is the page line's countdown; the notice keeps the reason (presenting.py).
    assert (
        f"page 3: GitHub rate limit ({kind}): You have triggered an abuse detection mechanism; "
        "retrying (the wait is counted down above)"
    ) in notices, notices


def test_502_twice_then_200_is_retried_with_growing_backoff(client, threads_worker, github):
    """Two 502s on page 4, then the recording: done, three asks, the second wait the longer."""
    github.state.add_fault(4, "502", times=2)
    status, notices = follow(client)
    assert status["state"] == "done", status
    asks = page_requests(github, 4)
    assert len(asks) == 3
    first_wait, second_wait = asks[1] - asks[0], asks[2] - asks[1]
    assert first_wait >= 0.2  # GITHUB_BACKOFF_BASE in the tests
    assert second_wait >= 0.4
    assert second_wait > first_wait
    assert any("page 4: GitHub failed (502)" in n for n in notices), notices


def test_a_read_timeout_is_retried(client, threads_worker, github, settings):
    """Page 5 answers after the read timeout: the worker gives up on it, retries, and finishes."""
    github.state.add_fault(5, "slow", wait=settings.GITHUB_READ_TIMEOUT + 2)
    status, notices = follow(client)
    assert status["state"] == "done", status
    assert len(page_requests(github, 5)) == 2
    assert any("page 5: GitHub did not answer in time" in n for n in notices), notices


def test_5xx_past_the_retry_budget_fails_saying_so(client, threads_worker, github, settings):
    """GitHub down for good on page 2: failed after GITHUB_MAX_RETRIES, and the page says so."""
    github.state.add_fault(2, "503", times=settings.GITHUB_MAX_RETRIES + 1)
    status, _ = follow(client)
    assert status["state"] == "failed"
    assert status["error"] == (
        "page 2: GitHub failed (503): Service Unavailable "
        f"(gave up after {settings.GITHUB_MAX_RETRIES} retries)"
    )
    assert len(page_requests(github, 2)) == settings.GITHUB_MAX_RETRIES + 1


def test_a_rate_limit_longer_than_github_max_wait_fails_instead_of_waiting(
    client, threads_worker, github, settings
):
    """A Retry-After past GITHUB_MAX_WAIT is refused with the reason, not waited for."""
    github.state.add_fault(1, "429", wait=settings.GITHUB_MAX_WAIT + 60)
    status, _ = follow(client)
    assert status["state"] == "failed"
    assert "longer than GITHUB_MAX_WAIT" in status["error"]
    assert len(page_requests(github, 1)) == 1


def test_a_fatal_page_stops_its_siblings_and_its_error_stands(client, threads_worker, github):
    """401 on page 1 fails the report; page 3, rate-limited for 2 s, is never asked again."""
    github.state.add_fault(1, "401")
    github.state.add_fault(3, "403", wait=2)
    status, _ = follow(client)
    assert status["state"] == "failed"
    assert status["error"] == "page 1: GitHub rejected the credentials (401): Bad credentials"
    # Past page 3's Retry-After (2 s), with room (it may not have been asked at all).
    stays_false(lambda: len(page_requests(github, 3)) > 1, 2 + 3, "page 3 asked again")
    answer = client.get(f"/reports/{status['task_id']}/").json()
    assert answer["error"] == status["error"]


def test_a_later_fatal_error_does_not_replace_the_first(client, threads_worker, github, settings):
    """GITHUB_MAX_WAIT fails page 1 first; page 3's 401, after a backoff, must not replace it."""
    github.state.add_fault(1, "429", wait=settings.GITHUB_MAX_WAIT + 60)
    github.state.add_fault(3, "502")
    github.state.add_fault(3, "401")
    status, _ = follow(client)
    assert status["state"] == "failed"

    def error() -> str:
        return client.get(f"/reports/{status['task_id']}/").json()["error"]

    # Page 3's backoff (0.2 s) and its 401 are long past within 3 s, if it got that far.
    stays_false(lambda: error() != status["error"], 3, "page 3's 401 replaced the first error")
    answer = client.get(f"/reports/{status['task_id']}/").json()
    assert answer["error"].startswith("page 1: GitHub rate limit (429)"), answer["error"]
    assert "longer than GITHUB_MAX_WAIT" in answer["error"]
