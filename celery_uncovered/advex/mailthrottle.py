"""How do I stop a flood of identical errors from becoming a flood of admin e-mails?

Identical errors within a window make one admin e-mail, and a count once the window closes.

Anyone can make a server log errors (a 5xx, an oversized POST, a bad Host header); without this
each one is an e-mail. "Identical" is what the server chose, never what the request chose: the
logger, the exception class and where it was raised (or, for an error response without an
exception, its status and message template), and the URL pattern that matched. The Host header,
the query string and a path's variable parts are left out, so an attacker cannot vary them to get
one e-mail each.

Windows are fixed slots of ``ERROR_MAIL_WINDOW`` seconds (a burst across a slot boundary may give
two first e-mails). The claim is a row under a unique constraint (``ErrorMailClaim``), so it holds
across processes and hosts; later errors in the slot add to its count with an ``F()`` update.

Scenario 2's handler (``toyex/errormail/mail.py``) asks for it through
``settings.ERROR_MAIL_THROTTLE``.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from celery_uncovered.toyex.models import ErrorMailClaim

# The summary is sent this long after the window's end, so increments racing the end are in.
SUMMARY_GRACE = 1.0
# Rows of windows that closed longer ago than this are deleted by the summaries.
KEEP_CLOSED_WINDOWS = timedelta(days=1)


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming one error's e-mail: ``first`` sends it; the others were counted."""

    first: bool
    fingerprint: str
    window_start: datetime
    window_seconds: float

    def summary_countdown(self, now: datetime) -> float:
        """Seconds from ``now`` until the window has closed (plus a grace)."""
        end = self.window_start + timedelta(seconds=self.window_seconds)
        return max((end - now).total_seconds(), 0.0) + SUMMARY_GRACE


def error_identity(record: logging.LogRecord) -> list[str]:
    """What makes two error records "identical", without anything the request chose."""
    parts = [record.name]
    if record.exc_info and record.exc_info[0] is not None:
        exc_type, _, tb = record.exc_info
        parts.append(f"{exc_type.__module__}.{exc_type.__qualname__}")
        frames = traceback.extract_tb(tb) if tb else []
        if frames:
            parts.append(f"{frames[-1].filename}:{frames[-1].lineno}")
    else:  # an error response without an exception: its status and message template
        parts += [str(getattr(record, "status_code", "")), str(record.msg)]
    request = getattr(record, "request", None)
    match = getattr(request, "resolver_match", None)
    parts.append(getattr(match, "route", "") or "")
    return parts


def error_fingerprint(record: logging.LogRecord) -> str:
    return hashlib.sha256("\n".join(error_identity(record)).encode()).hexdigest()


def describe(record: logging.LogRecord) -> str:
    """A short name for the error in the summary's subject: logger, exception, route."""
    identity = error_identity(record)
    exc = identity[1].rsplit(".", 1)[-1] if record.exc_info else f"status {identity[1]}"
    route = identity[-1]
    return f"{exc} ({record.name}{', /' + route if route else ''})"[:300]


def window_start(now: datetime, window_seconds: float) -> datetime:
    """The start of the fixed window that holds ``now``."""
    stamp = now.timestamp()
    return datetime.fromtimestamp(stamp - stamp % window_seconds, tz=UTC)


def claim_error_mail(record: logging.LogRecord, window_seconds: float) -> Claim:
    """Claim this error's e-mail for its window, atomically: insert the row, or count one more."""
    now = timezone.now()
    fingerprint = error_fingerprint(record)
    start = window_start(now, window_seconds)
    _, created = ErrorMailClaim.objects.get_or_create(
        fingerprint=fingerprint,
        window_start=start,
        defaults={"window_seconds": window_seconds, "description": describe(record)},
    )
    if not created:
        ErrorMailClaim.objects.filter(fingerprint=fingerprint, window_start=start).update(
            count=F("count") + 1
        )
    return Claim(created, fingerprint, start, window_seconds)


def closed_window_summary(fingerprint: str, start: datetime) -> tuple[str, str] | None:
    """Subject and body telling the admins how often an error recurred; None if it did not."""
    ErrorMailClaim.objects.filter(window_start__lt=timezone.now() - KEEP_CLOSED_WINDOWS).delete()
    row = ErrorMailClaim.objects.filter(fingerprint=fingerprint, window_start=start).first()
    if row is None or row.count < 2:
        return None
    end = row.window_start + timedelta(seconds=row.window_seconds)
    subject = f"{row.description} happened {row.count} times"
    others = "other one was" if row.count == 2 else f"other {row.count - 1} were"
    body = (
        f"{row.description} happened {row.count} times between "
        f"{row.window_start:%Y-%m-%d %H:%M:%S} and {end:%H:%M:%S} UTC. Only the first was "
        f"e-mailed, with its traceback; the {others} identical (same logger, exception, place "
        "and URL pattern) and counted here instead (ERROR_MAIL_WINDOW)."
    )
    return subject, body
