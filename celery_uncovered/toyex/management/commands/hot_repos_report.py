"""`manage.py hot_repos_report --period week [--date YYYY-MM-DD] [--wait]`, or `--follow ID`."""

import argparse
import math
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from celery_uncovered.messaging.sending import QueueUnavailable
from celery_uncovered.toyex.hotrepos.consumers import consumed_queues, report_queue, status_notice
from celery_uncovered.toyex.hotrepos.dates import PERIODS
from celery_uncovered.toyex.hotrepos.presenting import range_words
from celery_uncovered.toyex.hotrepos.queueing import queue_report
from celery_uncovered.toyex.hotrepos.tables import missing_tables_reason
from celery_uncovered.toyex.models import Report

# Poll the row every POLL_FIRST seconds while the report moves, backing off to POLL_MAX.
POLL_FIRST = 0.1
POLL_MAX = 2.0
INTERRUPTED = 130  # the shell's exit status for a command stopped by Ctrl-C (128 + SIGINT)
USAGE = 2  # argparse's exit status for a usage error
DEFAULT_TIMEOUT = 600.0


def progress_bar(done: int, total: int, width: int = 20) -> str:
    filled = width * min(done, total) // total
    return f"[{'#' * filled}{'.' * (width - filled)}] {min(done, total)}/{total} pages"


def positive_seconds(text: str) -> float:
    """argparse type for --timeout: 0, negative or not-a-number waits are refused, not obeyed."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not seconds > 0 or math.isinf(seconds):
        raise argparse.ArgumentTypeError(
            f"expected a positive number of seconds, got {text[:40]!r}"
        )
    return seconds


def next_poll_delay(delay: float, changed: bool) -> float:
    """The next wait between polls: short after a change, half again longer while nothing moves."""
    return POLL_FIRST if changed else min(delay * 1.5, POLL_MAX)


def where_it_stands(report: Report) -> str:
    """After Ctrl-C: what happens to the report now that nobody waits (asks the workers once)."""
    if report.status == Report.Status.RUNNING:
        return "keeps running on the workers"
    if report.status != Report.Status.QUEUED:
        return f"is {report.status}"
    queue = report_queue()
    queues = consumed_queues()
    if queues is not None and queue not in queues:
        return f"stays queued: no worker consumes queue {queue}"
    return "stays queued until a worker takes it"


def describe(report: Report) -> str:
    """'week: repositories created on ... or later: 7 days before the reference day ...'."""
    return f"{report.period}: {range_words(report)}"


def how_to_follow(task_id: str) -> str:
    """Where a person who stopped waiting can pick the report up again."""
    return (
        f"follow it with `python manage.py hot_repos_report --follow {task_id}` "
        f"or at {reverse('report-status', args=[task_id])}"
    )


class Command(BaseCommand):
    help = "Queue the GitHub hot-repo report; with --wait, follow it to the CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--period", help=f"one of {', '.join(PERIODS)}")
        what.add_argument("--follow", metavar="TASK_ID", help="follow a report already queued")
        parser.add_argument(
            "--date", default=None, help="reference day, YYYY-MM-DD (default today)"
        )
        parser.add_argument(
            "--wait", action="store_true", help="show progress until the CSV exists"
        )
        parser.add_argument(
            "--timeout",
            type=positive_seconds,
            default=None,
            help=f"seconds --wait or --follow waits (default {DEFAULT_TIMEOUT:g})",
        )

    def handle(self, *args: object, **options: Any) -> str:  # argparse's values
        self.refuse_ignored_options(options)
        reason = missing_tables_reason()
        if reason:
            raise CommandError(reason)
        timeout = options["timeout"] or DEFAULT_TIMEOUT
        if options["follow"]:
            asked = str(options["follow"])
            # Ids are UUIDs, the same in any case, as the web takes them (/reports/<ID>/).
            found = Report.objects.filter(task_id__iexact=asked.strip()).first()
            if found is None:
                raise CommandError(f"no report {asked[:40]!r}")
            return self.follow(found.task_id, timeout)
        try:
            claim = queue_report(options["period"], options["date"])
        except (ValueError, QueueUnavailable) as exc:
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:  # queue_report took its row back (messaging/sending.py)
            raise CommandError(
                "interrupted while sending the report to the broker: nothing was queued",
                returncode=INTERRUPTED,
            ) from None
        report = claim.report
        if claim.existing and options["wait"]:
            self.stdout.write(
                f"report {report.task_id} ({describe(report)}) is already "
                f"{report.status}: following it instead of queueing another"
            )
        elif claim.existing:
            self.stdout.write(
                f"a report of the same period and day ({describe(report)}) is already "
                f"{report.status}: {report.task_id}; not queueing another"
            )
        else:
            self.stdout.write(f"queued report {report.task_id} ({describe(report)})")
        if not options["wait"]:
            self.stdout.write(
                f"follow it: python manage.py hot_repos_report --follow {report.task_id} "
                f"(or /reports/{report.task_id}/ in a browser)"
            )
            return ""
        return self.follow(report.task_id, timeout)

    @staticmethod
    def refuse_ignored_options(options: dict[str, Any]) -> None:
        """An option the command would silently ignore is a usage error: the person meant it."""
        if options["timeout"] is not None and not (options["wait"] or options["follow"]):
            raise CommandError(
                "--timeout is how long --wait (or --follow) waits: add --wait, or drop --timeout",
                returncode=USAGE,
            )
        if options["follow"] and options["date"]:
            raise CommandError(
                "--date picks the day of a new report; --follow follows one already queued, "
                "whose day is fixed: use one or the other",
                returncode=USAGE,
            )

    def follow(self, task_id: str, timeout: float) -> str:
        """Follow the report; Ctrl-C stops the waiting, not the report, and says so in one line."""
        try:
            return self.follow_until_done(task_id, timeout)
        except KeyboardInterrupt:
            try:
                state = where_it_stands(Report.objects.get(task_id=task_id))
            except (KeyboardInterrupt, Exception):  # a second Ctrl-C, or the database went away
                state = "is not followed any more"
            raise CommandError(
                f"stopped waiting; report {task_id} {state}: " + how_to_follow(task_id),
                returncode=INTERRUPTED,
            ) from None

    def follow_until_done(self, task_id: str, timeout: float) -> str:
        """Draw progress from the Report row until it is done or failed, polling with back-off."""
        deadline = time.monotonic() + timeout
        shown = None
        delay = POLL_FIRST
        notice = ""
        while time.monotonic() < deadline:
            report = Report.objects.get(task_id=task_id)
            notice = status_notice(report)
            line = f"{progress_bar(report.pages_fetched, report.pages_total)} {report.status}"
            if notice:
                line += f" ({notice})"
            if line != shown:
                self.stdout.write(line)
            delay = next_poll_delay(delay, changed=line != shown)
            shown = line
            if report.status == Report.Status.FAILED:
                raise CommandError(f"report failed: {report.error}")
            if report.status == Report.Status.DONE:
                path = report.csv_path
                note = " (GitHub said: incomplete results)" if report.incomplete_results else ""
                self.stdout.write(self.style.SUCCESS(f"{path}{note}"))
                return ""
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        waiting = f": {notice}" if notice else ""
        raise CommandError(f"report {task_id} not finished after {timeout:g}s{waiting}")
