"""The GitHub client against recorded real responses (served by `responses`)."""

import logging

import pytest
import requests
import responses
from celery.exceptions import Retry

from celery_uncovered.toyex.hotrepos import github
from celery_uncovered.toyex.hotrepos.tasks import backoff_seconds, fetch_hot_repos
from celery_uncovered.toyex.models import Report
from tests.support.github_recordings import SEARCH_URL, serve

API = "https://api.github.test"
TOKEN = "ghp_unitTestTokenThatMustNeverLeak0123456"
PAGE1 = "pygithub/search-repositories_q-github-language-python_sort-stars_page1_200"
MIXED = "hub4j-github-api/search-repositories_q-user-is-public-fork-true_mixed-languages_200"


def search(**kwargs):
    return github.search_hot_repos("2026-11-17", 100, 1, api_url=API, **kwargs)


@responses.activate
def test_it_sends_the_request_github_documents():
    """Query, sort, order, paging, media type, API version, User-Agent and a Bearer token."""
    serve(PAGE1)
    search(token=TOKEN)
    request = responses.calls[0].request
    assert request.url.startswith(SEARCH_URL + "?")
    assert request.params == {
        "q": "created:>=2026-11-17",
        "sort": "stars",
        "order": "desc",
        "per_page": "100",
        "page": "1",
    }
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert request.headers["User-Agent"].startswith("celery-uncovered/")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in request.url
    assert "access_token" not in request.url


@responses.activate
def test_it_sends_no_authorization_without_a_token():
    """Unauthenticated search is allowed (10 a minute); no empty Bearer header is sent."""
    serve(PAGE1)
    search()
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_it_trims_items_and_keeps_null_languages():
    """Items keep the report's fields only; language null stays None."""
    serve(MIXED)
    page = search()
    assert len(page.items) == 14
    assert set(page.items[0]) == set(github.REPORT_FIELDS)
    assert sum(item["language"] is None for item in page.items) == 2


@responses.activate
def test_it_reports_incomplete_results():
    """GitHub's incomplete_results flag reaches the caller."""
    serve("pygithub/search-issues_incomplete-results-true_empty_200")
    page = search()
    assert page.incomplete_results is True
    assert page.items == []


@responses.activate
def test_bad_credentials_fail_at_once_without_the_token():
    """401: a clear, non-retryable error that never repeats the token."""
    serve("pygithub/user_bad-credentials-basic-auth_401")
    with pytest.raises(github.BadCredentials, match=r"credentials \(401\): Bad credentials") as exc:
        search(token=TOKEN)
    assert not exc.value.retryable
    assert TOKEN not in str(exc.value)


@pytest.mark.parametrize(
    "recording",
    [
        # 403 with Retry-After: 60 asks for exactly 60 s.
        "pygithub/search-code_abuse-secondary-limit-retry-after_403",
        # 403 with X-RateLimit-Remaining: 0 and no reset header (a 2013 recording): wait 60 s.
        "pygithub/users_primary-rate-limit-exceeded-unauthenticated_403",
    ],
    ids=["secondary-limit-retry-after-60", "primary-limit-exhausted-no-reset"],
)
@responses.activate
def test_a_rate_limit_waits_the_minute_github_asks_for(recording):
    """Both recorded 403s mean one minute's wait, then a retry."""
    serve(recording)
    with pytest.raises(github.RateLimited) as exc:
        search()
    assert exc.value.wait == 60
    assert exc.value.retryable


def test_exhausted_primary_limit_waits_until_the_reset_time():
    """X-RateLimit-Remaining: 0 with a reset epoch: wait until that moment."""
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1684195041"}
    assert github.rate_limit_wait(headers, now=1684195000.0) == 41


def test_remaining_quota_is_not_a_rate_limit():
    """A 403 with quota left (e.g. a permission problem) is not retried as a rate limit."""
    assert github.rate_limit_wait({"X-RateLimit-Remaining": "25"}, now=0) is None


@responses.activate
def test_validation_failed_is_a_clear_error():
    """422 (e.g. past the 1,000-result cap): a clear, non-retryable error."""
    serve("pygithub/user-keys_validation-failed_422")
    with pytest.raises(github.ValidationFailed, match=r"\(422\): Validation Failed"):
        search()


@responses.activate
def test_server_errors_are_retryable():
    """5xx: GitHub's side failed, trying again can help."""
    responses.add(responses.GET, SEARCH_URL, status=502, body="Bad Gateway")
    with pytest.raises(github.ServerError, match="502") as exc:
        search()
    assert exc.value.retryable


@responses.activate
def test_timeouts_are_retryable():
    """A read timeout becomes a retryable Unreachable error."""
    responses.add(responses.GET, SEARCH_URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(github.Unreachable, match="did not answer in time"):
        search()


# --- the task's retry decisions (eager tier: the retry is raised, not waited) ---------------


@pytest.fixture
def github_settings(settings):
    settings.GITHUB_API_URL = API
    settings.GITHUB_TOKEN = TOKEN
    return settings


@responses.activate
def test_task_retries_a_rate_limit_after_exactly_the_wait_github_asked(
    celery_live_eager, github_settings
):
    """403 Retry-After: 60 → Celery retry with countdown 60."""
    serve("pygithub/search-code_abuse-secondary-limit-retry-after_403")
    serve(PAGE1)
    with pytest.raises(Retry) as exc:
        fetch_hot_repos.delay("2026-11-17", 100, 1)
    assert exc.value.when == 60


@responses.activate
def test_task_refuses_a_wait_longer_than_the_limit(celery_live_eager, github_settings):
    """A rate limit longer than GITHUB_MAX_WAIT fails clearly instead of parking the task."""
    github_settings.GITHUB_MAX_WAIT = 30
    serve("pygithub/search-code_abuse-secondary-limit-retry-after_403")
    with pytest.raises(github.RateLimited, match="longer than GITHUB_MAX_WAIT"):
        fetch_hot_repos.delay("2026-11-17", 100, 1)


@responses.activate
def test_task_backs_off_exponentially_on_server_errors(celery_live_eager, github_settings):
    """5xx → retry after the first backoff step."""
    responses.add(responses.GET, SEARCH_URL, status=503, body="unavailable")
    with pytest.raises(Retry) as exc:
        fetch_hot_repos.delay("2026-11-17", 100, 1)
    assert exc.value.when == backoff_seconds(0)


def test_backoff_doubles_and_is_capped(settings):
    """base, 2x, 4x … never past the cap."""
    settings.GITHUB_BACKOFF_BASE, settings.GITHUB_BACKOFF_CAP = 2.0, 10.0
    assert [backoff_seconds(n) for n in range(5)] == [2.0, 4.0, 8.0, 10.0, 10.0]


@responses.activate
def test_task_fails_at_once_on_bad_credentials_and_never_logs_the_token(
    celery_live_eager, github_settings, caplog
):
    """401: one request, no retry, and the token appears in no message or log line."""
    serve("pygithub/user_bad-credentials-basic-auth_401")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(github.BadCredentials) as exc:
        fetch_hot_repos.delay("2026-11-17", 100, 1)
    assert len(responses.calls) == 1
    assert TOKEN not in str(exc.value)
    assert TOKEN not in caplog.text


@responses.activate
@pytest.mark.django_db
def test_a_rate_limit_notice_is_one_sentence_with_one_wait(celery_live_eager, github_settings):
    """The status notice names GitHub's reason once and our wait once, in one sentence."""
    Report.objects.create(task_id="r1", period="week", since="2026-11-17")
    serve("pygithub/search-code_abuse-secondary-limit-retry-after_403")
    with pytest.raises(Retry):
        fetch_hot_repos.delay("2026-11-17", 100, 3, report_id="r1")
    assert Report.objects.get(task_id="r1").notice == (
        "page 3: GitHub rate limit (403): You have triggered an abuse detection mechanism; "
        "trying again in 60s"
    )


@responses.activate
@pytest.mark.django_db
def test_a_task_with_no_retry_limit_still_says_why_a_page_is_late(
    celery_live_eager, github_settings, monkeypatch
):
    """Celery's ``max_retries=None`` (retry for ever): the notice is written, no TypeError."""
    monkeypatch.setattr(fetch_hot_repos, "max_retries", None)
    Report.objects.create(task_id="r1", period="week", since="2026-11-17")
    serve("pygithub/search-code_abuse-secondary-limit-retry-after_403")
    with pytest.raises(Retry):
        fetch_hot_repos.delay("2026-11-17", 100, 3, report_id="r1")
    assert Report.objects.get(task_id="r1").notice.startswith("page 3: GitHub rate limit (403)")


@responses.activate
def test_a_rate_limit_past_the_limit_says_both_waits_once(celery_live_eager, github_settings):
    """Refusing a long wait reads as one sentence: GitHub's reason, its wait, our limit."""
    github_settings.GITHUB_MAX_WAIT = 30
    serve("pygithub/search-code_abuse-secondary-limit-retry-after_403")
    with pytest.raises(github.RateLimited) as exc:
        fetch_hot_repos.delay("2026-11-17", 100, 1)
    assert str(exc.value) == (
        "GitHub rate limit (403): You have triggered an abuse detection mechanism; "
        "GitHub asked to wait 60s, longer than GITHUB_MAX_WAIT (30s)"
    )
