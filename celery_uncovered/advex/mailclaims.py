"""How is an e-mail task sent once, when acks_late may run its message twice?

At most one send per e-mail task id: a claim row, taken before SMTP, marked once SMTP took it.

``acks_late`` keeps a killed worker's e-mail message for another worker, and a retry already
published under the same task id can then run beside that redelivered copy. Each copy first
claims the task id in the database (a unique row): the copy that inserts it sends; a copy that
finds it ``sent`` stops; a copy that finds it held by a live sender looks again later. A claim
neither sent nor released within ``MAIL_CLAIM_STALE_SECONDS`` belongs to a sender that died, and
the next copy takes it over: no mail is lost. No Celery here: ``toyex/errormail/mail.py`` asks
for it through ``settings.MAIL_TASK_CLAIMS``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from celery_uncovered.toyex.models import MailTaskClaim

# A released claim is dated here: older than any bound, so the next copy takes it at once.
RELEASED = datetime(2000, 1, 1, tzinfo=UTC)
CLAIM_ATTEMPTS = 5


class Outcome(enum.Enum):
    MINE = "mine"  # send it
    SENT = "sent"  # another copy sent it: stop
    BUSY = "busy"  # another copy is sending it right now: look again later


@dataclass(frozen=True)
class MailClaim:
    outcome: Outcome
    task_id: str
    claimed_at: datetime | None = None


def claim_mail(task_id: str) -> MailClaim:
    """Claim the e-mail of ``task_id``: insert its row, or take over a stale claim, atomically."""
    for _ in range(CLAIM_ATTEMPTS):
        now = timezone.now()
        try:
            with transaction.atomic():
                MailTaskClaim.objects.create(task_id=task_id, claimed_at=now)
            return MailClaim(Outcome.MINE, task_id, now)
        except IntegrityError:
            pass
        stale = now - timedelta(seconds=settings.MAIL_CLAIM_STALE_SECONDS)
        unsent_and_stale = MailTaskClaim.objects.filter(
            task_id=task_id, sent=False, claimed_at__lt=stale
        )
        if unsent_and_stale.update(claimed_at=now):
            return MailClaim(Outcome.MINE, task_id, now)
        row = MailTaskClaim.objects.filter(task_id=task_id).first()
        if row is not None:
            return MailClaim(Outcome.SENT if row.sent else Outcome.BUSY, task_id)
    return MailClaim(Outcome.BUSY, task_id)  # rows kept vanishing: look again later


def mark_sent(claim: MailClaim) -> None:
    """SMTP took the mail: every later copy of this task id stops at its claim."""
    MailTaskClaim.objects.filter(task_id=claim.task_id).update(sent=True)


def release(claim: MailClaim) -> None:
    """SMTP failed: let the retry (or any copy) claim at once; only our own claim, if still ours."""
    if claim.claimed_at is None:
        return  # a claim we never held (sent or busy): no row of ours to release
    MailTaskClaim.objects.filter(
        task_id=claim.task_id, sent=False, claimed_at=claim.claimed_at
    ).update(claimed_at=RELEASED)
