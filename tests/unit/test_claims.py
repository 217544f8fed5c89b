"""The claims behind "one report per request" and "one e-mail per task id", as plain functions."""

import uuid
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from celery_uncovered.advex import mailclaims
from celery_uncovered.advex.mailclaims import Outcome, claim_mail, mark_sent, release
from celery_uncovered.advex.reportclaims import claim_report
from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.hotrepos.tasks import DUPLICATE, start_report
from celery_uncovered.toyex.models import MailTaskClaim, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """The produce task's apply_async, recorded instead of sent (no broker in this tier)."""
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as apply_async:
        yield apply_async


def new_id() -> str:
    return str(uuid.uuid4())


def test_a_second_request_for_an_active_period_and_day_gets_the_first_report():
    """While the first is queued, the second claim returns it, marked existing; no new row."""
    first = claim_report(new_id(), "week", "2026-11-17")
    second = claim_report(new_id(), "week", "2026-11-17")
    assert (first.existing, second.existing) == (False, True)
    assert second.report.task_id == first.report.task_id
    assert Report.objects.count() == 1


@pytest.mark.parametrize("status", ["done", "failed"])
def test_a_report_that_ended_frees_its_period_and_day(status):
    """Only queued and running reports hold the claim: a new request after one ended is new."""
    first = claim_report(new_id(), "week", "2026-11-17").report
    Report.objects.filter(pk=first.pk).update(status=status)
    assert claim_report(new_id(), "week", "2026-11-17").existing is False


def test_another_period_or_day_is_another_report():
    """The claim is per (period, since)."""
    claim_report(new_id(), "week", "2026-11-17")
    assert claim_report(new_id(), "day", "2026-11-17").existing is False
    assert claim_report(new_id(), "week", "2026-11-16").existing is False


def test_an_abandoned_active_report_is_failed_and_replaced(settings):
    """A queued report that has not moved past REPORT_CLAIM_STALE_SECONDS no longer blocks."""
    stale = claim_report(new_id(), "week", "2026-11-17").report
    long_ago = timezone.now() - timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS + 1)
    Report.objects.filter(pk=stale.pk).update(updated=long_ago)
    fresh = claim_report(new_id(), "week", "2026-11-17")
    assert fresh.existing is False
    stale.refresh_from_db()
    assert stale.status == "failed"
    assert stale.error.startswith("abandoned")


def test_the_produce_task_claims_a_queued_row_once():
    """The first run takes the queued row; a second run of the same id is a duplicate."""
    report = claim_report(new_id(), "week", "2026-11-17").report
    assert start_report(report.task_id, "week", "2026-11-17") == report.task_id
    assert Report.objects.get().status == "running"
    assert start_report(report.task_id, "week", "2026-11-17") == DUPLICATE


def test_a_produce_run_without_a_row_inserts_it_and_a_second_beat_follows_it():
    """Beat's runs have no row: the first inserts one, another id follows that report."""
    first, second = new_id(), new_id()
    assert start_report(first, "today", "2026-11-24") == first
    assert start_report(second, "today", "2026-11-24") == first
    assert start_report(first, "today", "2026-11-24") == DUPLICATE
    assert Report.objects.count() == 1


def test_the_post_answers_with_the_existing_report_and_sends_nothing_more(client, queued):
    """A double click: the second answer carries the first's id and status URL, existing true."""
    data = {"period": "week", "date": "2026-11-24"}
    first = client.post("/reports/", data).json()
    second = client.post("/reports/", data)
    assert second.status_code == 202
    assert second.json() == {**first, "existing": True}
    assert first["existing"] is False
    assert queued.call_count == 1


def test_the_cli_says_it_follows_the_existing_report(queued):
    """The command names the report already queued instead of queueing another (not waiting:
    it does not say it follows it, it says where to)."""
    call_command("hot_repos_report", period="week", date="2026-11-24", stdout=StringIO())
    out = StringIO()
    call_command("hot_repos_report", period="week", date="2026-11-24", stdout=out)
    task_id = Report.objects.get().task_id
    assert "(2026-11-17) or later" in out.getvalue()
    assert f"is already queued: {task_id}; not queueing another" in out.getvalue()
    assert f"--follow {task_id}" in out.getvalue()
    assert queued.call_count == 1


def test_the_first_copy_of_an_e_mail_task_sends_and_later_copies_stop():
    """Claimed: the next copy finds it busy; once sent, every copy finds it sent."""
    task_id = new_id()
    mine = claim_mail(task_id)
    assert mine.outcome is Outcome.MINE
    assert claim_mail(task_id).outcome is Outcome.BUSY
    mark_sent(mine)
    assert claim_mail(task_id).outcome is Outcome.SENT


def test_a_released_claim_is_taken_at_once_by_the_retry():
    """SMTP failed: the sender releases its claim, so its retry (same id) claims again."""
    task_id = new_id()
    release(claim_mail(task_id))
    assert claim_mail(task_id).outcome is Outcome.MINE


def test_a_claim_whose_sender_died_is_taken_over_after_the_bound(settings):
    """Nothing lost: a claim neither sent nor released goes to the next copy once stale."""
    task_id = new_id()
    claim_mail(task_id)
    long_ago = timezone.now() - timedelta(seconds=settings.MAIL_CLAIM_STALE_SECONDS + 1)
    MailTaskClaim.objects.filter(task_id=task_id).update(claimed_at=long_ago)
    assert claim_mail(task_id).outcome is Outcome.MINE
    assert claim_mail(task_id).outcome is Outcome.BUSY


def test_a_slow_sender_does_not_release_a_claim_taken_over_from_it(settings):
    """Release touches only the sender's own claim, never the one that replaced it."""
    task_id = new_id()
    old = claim_mail(task_id)
    long_ago = timezone.now() - timedelta(seconds=settings.MAIL_CLAIM_STALE_SECONDS + 1)
    MailTaskClaim.objects.filter(task_id=task_id).update(claimed_at=long_ago)
    claim_mail(task_id)
    release(old)
    assert claim_mail(task_id).outcome is Outcome.BUSY
    assert MailTaskClaim.objects.get().claimed_at > mailclaims.RELEASED
