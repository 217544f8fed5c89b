"""GitHub's repository search, as plain code: no Celery here, so every tier tests the same thing.

Each failure GitHub really returns becomes a typed error carrying what the caller needs to decide:
fail at once (bad credentials, validation), wait exactly as long as GitHub asked (rate limits), or
back off and try again (5xx, timeouts, connection errors). The token travels only in the
``Authorization`` header; it is never part of a URL, a message or a result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

API_VERSION = "2022-11-28"
USER_AGENT = "celery-uncovered/0.1 (+https://github.com/celery-uncovered)"
TIMEOUT = (5.0, 30.0)  # seconds: connect, read (the settings GITHUB_CONNECT/READ_TIMEOUT)
REPORT_FIELDS = ("id", "name", "full_name", "language", "stargazers_count", "html_url")


class GitHubError(Exception):
    """A search that did not give results; ``retryable`` says whether trying again can help."""

    retryable = False

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BadCredentials(GitHubError):
    """401: the token is wrong or expired; waiting will not fix it."""


class ValidationFailed(GitHubError):
    """422: GitHub refused the query (e.g. a page past the 1,000-result cap)."""


class UnexpectedResponse(GitHubError):
    """Any other status we do not know how to handle."""


class RateLimited(GitHubError):
    """403/429 with a wait GitHub told us: retry after exactly ``wait`` seconds."""

    retryable = True

    def __init__(self, message: str, wait: float = 0.0, status: int | None = None) -> None:
        super().__init__(message, status)
        self.wait = wait


class ServerError(GitHubError):
    """5xx: GitHub's side failed; back off and try again."""

    retryable = True


class Unreachable(GitHubError):
    """Timeout or connection error: back off and try again."""

    retryable = True


@dataclass(frozen=True)
class SearchPage:
    """One page of results, trimmed to what the report needs."""

    page: int
    items: list[dict[str, Any]]
    incomplete_results: bool
    total_count: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "items": self.items,
            "incomplete_results": self.incomplete_results,
            "total_count": self.total_count,
        }


def request_headers(token: str = "") -> dict[str, str]:
    """The headers GitHub documents for REST v3, plus the token as a Bearer header if set."""
    headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": USER_AGENT,
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds GitHub asks us to wait, from Retry-After or an exhausted X-RateLimit window."""
    retry_after = headers.get("Retry-After")
    if retry_after is not None and retry_after.strip().isdigit():
        return float(retry_after)
    if headers.get("X-RateLimit-Remaining") == "0":
        reset = headers.get("X-RateLimit-Reset", "")
        if reset.isdigit():
            return max(0.0, float(reset) - now)
        return 60.0  # exhausted with no reset time (seen in 2013 recordings): GitHub's own advice
    return None


def first_sentence(text: str) -> str:
    """GitHub's first sentence without its full stop, so our own clause can follow it.

    GitHub's rate-limit text goes on to "Please wait a few minutes...", a wait that contradicts the
    one we read from its headers and act on: a person should read one wait, ours.
    """
    return text.strip().split(". ", 1)[0].rstrip(".")


def _message(response: requests.Response) -> str:
    try:
        return str(response.json().get("message", "")).strip() or response.reason
    except ValueError:
        return response.reason or "no message"


def raise_for_github_status(response: requests.Response, now: float) -> None:
    """Turn a non-2xx answer into the error that says what to do next."""
    status = response.status_code
    if status < 300:
        return
    message = _message(response)
    if status == 401:
        raise BadCredentials(f"GitHub rejected the credentials (401): {message}", status)
    if status in (403, 429):
        wait = rate_limit_wait(response.headers, now)
        if wait is not None:
            raise RateLimited(
                f"GitHub rate limit ({status}): {first_sentence(message)}", wait, status
            )
        raise UnexpectedResponse(f"GitHub refused the request ({status}): {message}", status)
    if status == 422:
        raise ValidationFailed(f"GitHub could not run this search (422): {message}", status)
    if status >= 500:
        raise ServerError(f"GitHub failed ({status}): {message}", status)
    raise UnexpectedResponse(f"GitHub answered {status}: {message}", status)


def trim_repo(item: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the fields the report uses (a search item carries ~80)."""
    return {field: item.get(field) for field in REPORT_FIELDS}


def search_hot_repos(
    since: str,
    per_page: int = 100,
    page: int = 1,
    *,
    api_url: str,
    token: str = "",
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.time,
    timeout: tuple[float, float] = TIMEOUT,
) -> SearchPage:
    """Repositories created on or after ``since``, most starred first."""
    params: dict[str, str | int] = {
        "q": f"created:>={since}",
        "sort": "stars",
        "order": "desc",
        "per_page": per_page,
        "page": page,
    }
    http = session or requests
    try:
        response = http.get(
            f"{api_url.rstrip('/')}/search/repositories",
            params=params,
            headers=request_headers(token),
            timeout=timeout,
        )
    except requests.Timeout as exc:
        raise Unreachable(f"GitHub did not answer in time ({type(exc).__name__})") from None
    except requests.ConnectionError as exc:
        raise Unreachable(f"could not reach GitHub ({type(exc).__name__})") from None
    raise_for_github_status(response, clock())
    try:
        body = response.json()
    except ValueError:
        raise UnexpectedResponse("GitHub answered 200 with a body that is not JSON") from None
    return SearchPage(
        page=page,
        items=[trim_repo(item) for item in body.get("items", [])],
        incomplete_results=bool(body.get("incomplete_results", False)),
        total_count=int(body.get("total_count", 0)),
    )
