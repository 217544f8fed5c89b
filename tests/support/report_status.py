"""Following a report's status URL the way the page does (shared by the live and fault tiers)."""

from pytest_celery_live.waiting import wait_until


def follow_status(client, status_url: str, timeout: float = 60.0) -> list[dict]:
    """Poll the status URL until done or failed; every answer seen, oldest first."""
    answers = []

    def finished() -> bool:
        answer = client.get(status_url)
        assert answer.status_code == 200
        answers.append(answer.json())
        return answers[-1]["state"] in ("done", "failed")

    wait_until(finished, timeout, "report to finish", context=lambda: f"last status {answers[-1]}")
    return answers


def with_pages_fetched(report, count: int):
    """Give ``report`` ``count`` fetched pages, as its fetches leave them: one row per page."""
    from celery_uncovered.toyex.models import ReportPage, record_page

    for number in range(1, count + 1):
        record_page(report.task_id, number, ReportPage.State.DONE)
    return report
