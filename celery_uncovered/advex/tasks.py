"""The advex patterns' own tasks (autodiscovered; each keeps the name it had in toyex)."""

from __future__ import annotations

from celery import shared_task

from .stuckreports import fail_stuck_reports as fail_stuck


@shared_task(name="celery_uncovered.toyex.tasks.fail_stuck_reports")
def fail_stuck_reports() -> dict[str, str]:
    """Beat's check for reports that will never finish (stuckreports.py): {report id: notice}."""
    return fail_stuck()
