"""How many reports may be under way at once, in all and per client?

Each report costs five GitHub searches from one token's quota, and anyone who can reach the form
can ask for one per day since 2008: ``REPORT_MAX_ACTIVE`` bounds the work under way and
``REPORT_MAX_ACTIVE_PER_CLIENT`` keeps one client from taking every slot. The caps are counted and
the report's row written in one transaction, under one lock, so parallel requests at the edge see
each other. Scenario 1's ``queue_report`` asks here through ``settings.REPORT_CAPS``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from celery_uncovered.messaging.sending import QueueUnavailable
from celery_uncovered.toyex.models import Report

from .reportclaims import ReportClaim, active_report, claim_report, give_up_if_abandoned

# The advisory lock the report caps are counted under (any fixed number; "cu" 0x6375).
CLAIM_LOCK_KEY = 0x6375_0001


class TooManyReports(QueueUnavailable):
    """REPORT_MAX_ACTIVE reports are under way: nothing was queued, try when one has finished."""

    status = 429
    # A report takes about a minute on GitHub's search quota; one slot frees when one finishes.
    retry_after = 30


def claim_within_caps(
    task_id: str, period: str, since: str, ref_date: str, client: str
) -> ReportClaim:
    """The report under way for ``period``/``since``, or a new row if the caps allow one.

    Each report costs five GitHub searches from one token's quota, and anyone who can reach the
    form can ask for one per day since 2008: REPORT_MAX_ACTIVE bounds the work under way, and
    REPORT_MAX_ACTIVE_PER_CLIENT keeps one client from taking every slot. Checked and written in
    one transaction under one lock (``lock_claims``), so parallel requests at the cap's edge see
    each other: the last slot goes to one. Reports abandoned long ago do not count.
    """
    bound = timezone.now() - timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS)
    with transaction.atomic():
        lock_claims()
        holder = active_report(period, since)
        if holder is not None and not give_up_if_abandoned(holder):
            return ReportClaim(holder, existing=True)  # asking again is no new work
        under_way = Report.objects.filter(status__in=Report.ACTIVE, updated__gte=bound)
        if under_way.count() >= settings.REPORT_MAX_ACTIVE:
            raise TooManyReports(
                f"too many reports under way ({settings.REPORT_MAX_ACTIVE}), nothing was queued: "
                "try again when one has finished"
            )
        limit = settings.REPORT_MAX_ACTIVE_PER_CLIENT
        if client and under_way.filter(client=client).count() >= limit:
            raise TooManyReports(
                f"you have {limit} reports under way, the most one client may have: nothing was "
                "queued, try again when one has finished"
            )
        # The row, under the same lock (the partial unique index is still the last word).
        return claim_report(task_id, period, since, ref_date=ref_date, client=client)


def lock_claims() -> None:
    """Serialise the caps' count-then-insert across web processes, until the transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: the settings' IMMEDIATE transactions
    already hold the database's one write lock from BEGIN. Other databases get no lock: two
    requests at the cap's edge may then both pass (a budget, not a guarantee).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK_KEY])
