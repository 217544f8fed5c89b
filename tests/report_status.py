"""Following a report's status URL the way the page does (shared by the live and fault tiers)."""

import time

import pytest


def follow_status(client, status_url: str, timeout: float = 60.0) -> list[dict]:
    """Poll the status URL until done or failed; every answer seen, oldest first."""
    answers = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(status_url)
        assert answer.status_code == 200
        answers.append(answer.json())
        if answers[-1]["state"] in ("done", "failed"):
            return answers
        time.sleep(0.05)
    pytest.fail(f"report not finished after {timeout}s; last status {answers[-1]}", pytrace=False)
