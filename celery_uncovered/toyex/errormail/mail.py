"""Scenario 2: admin e-mails for 500 errors, sent by a worker instead of inside the request."""

from __future__ import annotations

import copy
import logging
import smtplib
import time
from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from celery import Task, current_task, shared_task
from celery.utils.log import get_task_logger
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import mail_admins
from django.db import DatabaseError
from django.utils import timezone
from django.utils.log import AdminEmailHandler

from celery_uncovered.messaging.countdowns import broker_countdown
from celery_uncovered.messaging.resultstore import result_store_problem
from celery_uncovered.web.errorreports import FORGED_HOST, forged_host

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

logger = logging.getLogger(__name__)


class Claim(Protocol):
    """An error's claim on its throttle window (``settings.ERROR_MAIL_THROTTLE`` makes them)."""

    first: bool
    fingerprint: str
    window_start: datetime

    def summary_countdown(self, now: datetime) -> float: ...


TASK_NAME = "celery_uncovered.toyex.tasks.report_error_task"
SUMMARY_TASK_NAME = "celery_uncovered.toyex.tasks.error_mail_summary_task"
HOST_SAFE_REPORTER = "celery_uncovered.web.errorreports.HostSafeExceptionReporter"


def mail_retry_countdown(retries: int) -> float:
    """Backoff between SMTP attempts: base, 2*base, ... capped (Celery's own formula)."""
    return broker_countdown(
        get_exponential_backoff_interval(settings.MAIL_RETRY_BASE, retries, settings.MAIL_RETRY_CAP)
    )


def send_once(task: Task[..., Any], send: Callable[[], object]) -> None:
    """Run ``send`` unless another copy of this task id sent or sends it (advex/mailclaims.py).

    SMTP trouble releases the claim and retries with backoff; a copy that finds the claim held
    looks again later. If the database cannot answer, send anyway: twice is better than never.
    """
    if task.request.is_eager:  # one copy only
        send()
        return
    # Sent once per task id, a pattern past the tutorial (advex): the module the settings name.
    mailclaims = import_module(settings.MAIL_TASK_CLAIMS)  # models: not while logging loads

    try:
        claim = mailclaims.claim_mail(task.request.id)
    except DatabaseError:
        logger.warning("could not claim e-mail task %s, sending unclaimed", task.request.id)
        claim = None
    if claim is not None and claim.outcome is mailclaims.Outcome.SENT:
        logger.info("e-mail task %s: another copy already sent it", task.request.id)
        return
    if claim is not None and claim.outcome is mailclaims.Outcome.BUSY:
        # The holder sends, or its claim goes stale and a later look takes it over.
        raise task.retry(countdown=mail_retry_countdown(task.request.retries))
    try:
        send()
    except (smtplib.SMTPException, OSError) as exc:
        if claim is not None:
            mailclaims.release(claim)
        raise task.retry(exc=exc, countdown=mail_retry_countdown(task.request.retries)) from None
    if claim is not None:
        mailclaims.mark_sent(claim)
    # The task's own file (LOGS_DIR/<task>.log) says what left, as the report tasks' files do.
    get_task_logger(task.name).info(
        "e-mailed the admins through %s:%s", settings.EMAIL_HOST, settings.EMAIL_PORT
    )


class RecentOutage:
    """When this process last failed to reach the broker, so the next e-mails skip trying it.

    Process memory is enough here: it only saves a request the wait of a connection attempt that
    just failed; forgetting it (another process, a restart) costs one more attempt, never a mail.
    """

    def __init__(self) -> None:
        self.until = 0.0

    def remember(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def active(self) -> bool:
        return time.monotonic() < self.until

    def reset(self) -> None:
        self.until = 0.0


BROKER_OUTAGE = RecentOutage()


def publish_or_fail_fast(
    task: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], **options: Any
) -> None:
    """Queue ``task`` with one short connection attempt per broker URL; raise if none answers.

    The app's pooled connection would retry for broker_connection_timeout (about 4 s) and the
    publish policy longer: a request that fails must not wait on that before mailing itself. A
    Redis result store is asked first, once: Celery's send would wait out its retry policy.
    """
    problem = result_store_problem(task.app)
    if problem is not None:
        raise ConnectionError(f"the result store is unreachable: {problem}") from problem
    timeout = settings.MAIL_BROKER_CONNECT_TIMEOUT
    with task.app.connection_for_write(connect_timeout=timeout) as conn:
        # kombu: one attempt per URL of a failover list ("amqp://a;amqp://b"), none twice, no
        # pause between them, then raise (one attempt alone left a cluster's other nodes unasked).
        urls = max(len(conn.alt), 1)
        conn.transport_options = {
            **(conn.transport_options or {}),
            "max_retries": urls - 1,
            "interval_start": 0,
            "interval_step": 0,
            "interval_max": 0,
            "connect_retries_timeout": timeout * urls,
        }
        # apply_async passes connection= on to send_task; celery-types' apply_async omits it.
        task.apply_async(args, kwargs, connection=conn, retry=False, **options)  # type: ignore[call-arg]


# Never lost: ack only after the mail left, retry on SMTP trouble. Never twice either, where the
# claim can tell (send_once): a redelivered copy of a sent task id stops. Both mail tasks.
MAIL_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": settings.MAIL_MAX_RETRIES,
}


@shared_task(name=TASK_NAME, **MAIL_TASK_OPTIONS)
def report_error_task(
    self: Task[..., None], /, subject: str, message: str, *args: Any, **kwargs: Any
) -> None:
    """mail_admins in the worker; an SMTP outage delays the mail and loses none."""
    kwargs.pop("fail_silently", None)  # a silent failure could not be retried
    # A positional fail_silently in args would clash and be refused: our messages carry none.
    send_once(self, lambda: mail_admins(subject, message, *args, fail_silently=False, **kwargs))  # type: ignore[misc]


@shared_task(name=SUMMARY_TASK_NAME, **MAIL_TASK_OPTIONS)
def error_mail_summary_task(self: Task[..., None], /, fingerprint: str, window_start: str) -> None:
    """Once an error's throttle window closed: how many identical errors were not e-mailed."""
    throttle = import_module(settings.ERROR_MAIL_THROTTLE)  # models: not while logging loads
    start = datetime.fromisoformat(window_start)
    summary: tuple[str, str] | None = throttle.closed_window_summary(fingerprint, start)
    if summary is None:  # it happened once: the first e-mail said everything
        return
    send_once(self, lambda: mail_admins(*summary, fail_silently=False))


class CeleryHandler(AdminEmailHandler):
    """AdminEmailHandler that queues the e-mail; the request never waits for SMTP."""

    def __init__(self, include_html: bool = False, email_backend: str | None = None) -> None:
        super().__init__(include_html, email_backend, reporter_class=HOST_SAFE_REPORTER)

    def emit(self, record: logging.LogRecord) -> None:
        if forged_host(getattr(record, "request", None)):
            # Django's DisallowedHost message repeats the attacker's Host twice: the subject of
            # every admin's e-mail would carry it (a link, a lure). Say what happened instead.
            record = copy.copy(record)
            record.msg, record.args = "Invalid HTTP_HOST header: %s", (FORGED_HOST,)
        exc_type = record.exc_info[0] if record.exc_info else None
        self._exc_name = exc_type.__name__ if exc_type else ""
        claim = self.claim(record)
        if claim is not None and not claim.first:
            return  # an identical error was e-mailed in this window; the summary counts this one
        super().emit(record)
        if claim is not None:
            self.schedule_summary(claim)

    def claim(self, record: logging.LogRecord) -> Claim | None:
        """This error's claim on its window; None when not throttling or the claim failed."""
        window = settings.ERROR_MAIL_WINDOW
        if window <= 0:
            return None
        # The flood limit, a pattern past the tutorial (advex): the module the settings name.
        throttle = import_module(settings.ERROR_MAIL_THROTTLE)  # models: not while logging loads
        try:
            claim: Claim = throttle.claim_error_mail(record, window)
            return claim
        except Exception:  # the database failed: send rather than lose the first e-mail
            logger.warning(
                "could not claim the error e-mail, sending it unthrottled", exc_info=True
            )
            return None

    def schedule_summary(self, claim: Claim) -> None:
        """Ask a worker to mail the window's count once it closes (nothing if it stayed at 1)."""
        args = (claim.fingerprint, claim.window_start.isoformat())
        try:
            if BROKER_OUTAGE.active():
                raise ConnectionError("broker unreachable moments ago")
            countdown = broker_countdown(claim.summary_countdown(timezone.now()))
            publish_or_fail_fast(error_mail_summary_task, args, {}, countdown=countdown)
        except Exception:
            BROKER_OUTAGE.remember(settings.MAIL_BROKER_DOWN_MEMORY)
            logger.warning(
                "could not queue the summary (broker or result store down): this window's "
                "count of identical errors is only "
                "in the database (ErrorMailClaim)",
                exc_info=True,
            )

    def format_subject(self, subject: str) -> str:
        """Name the exception in the subject, so the inbox tells errors apart."""
        subject = super().format_subject(subject)
        name = getattr(self, "_exc_name", "")
        return f"{subject} ({name})"[:989] if name else subject

    def send_mail(
        self, subject: str | StrPromise, message: str | StrPromise, *args: object, **kwargs: object
    ) -> None:
        task = current_task
        if task and task.name in (TASK_NAME, SUMMARY_TASK_NAME):
            # The e-mail task itself failed: mailing about it through this handler would loop.
            logger.error("not e-mailing an error raised inside %s: %s", TASK_NAME, subject)
            return
        if BROKER_OUTAGE.active():
            logger.warning("broker unreachable moments ago, sending the admin e-mail synchronously")
            self.send_synchronously(subject, message, *args, **kwargs)
            return
        try:
            publish_or_fail_fast(
                report_error_task, (subject, message), {"html_message": kwargs.get("html_message")}
            )
        except Exception:  # broker unreachable: never raise into the request, never lose the mail
            BROKER_OUTAGE.remember(settings.MAIL_BROKER_DOWN_MEMORY)
            logger.warning(
                "could not queue the admin e-mail (broker or result store down), "
                "sending it synchronously",
                exc_info=True,
            )
            self.send_synchronously(subject, message, *args, **kwargs)

    def send_synchronously(
        self, subject: str | StrPromise, message: str | StrPromise, *args: object, **kwargs: object
    ) -> None:
        """Django's own send, inside the request; logged, never raised."""
        try:
            super().send_mail(subject, message, *args, **kwargs)
        except Exception:
            logger.exception("could not send the admin e-mail synchronously either")
