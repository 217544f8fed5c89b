"""`manage.py hot_repos_report --period week [--date YYYY-MM-DD] [--wait]`."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from celery_uncovered.toyex.dates import PERIODS
from celery_uncovered.toyex.models import Report
from celery_uncovered.toyex.queueing import QueueUnavailable, queue_report


def progress_bar(done: int, total: int, width: int = 20) -> str:
    filled = width * min(done, total) // total
    return f"[{'#' * filled}{'.' * (width - filled)}] {min(done, total)}/{total} pages"


class Command(BaseCommand):
    help = "Queue the GitHub hot-repo report; with --wait, follow it to the CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help=f"one of {', '.join(PERIODS)}")
        parser.add_argument(
            "--date", default=None, help="reference day, YYYY-MM-DD (default today)"
        )
        parser.add_argument(
            "--wait", action="store_true", help="show progress until the CSV exists"
        )
        parser.add_argument("--timeout", type=float, default=600.0, help="seconds --wait waits")

    def handle(self, *args: object, **options: object) -> str:
        try:
            report = queue_report(options["period"], options["date"])
        except (ValueError, QueueUnavailable) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"queued report {report.task_id} ({report.period})")
        if not options["wait"]:
            return ""
        return self.follow(report.task_id, options["timeout"])

    def follow(self, task_id: str, timeout: float) -> str:
        """Draw progress from the Report row until it is done or failed."""
        deadline = time.monotonic() + timeout
        shown = None
        while time.monotonic() < deadline:
            report = Report.objects.get(task_id=task_id)
            line = f"{progress_bar(report.pages_fetched, report.pages_total)} {report.status}"
            if line != shown:
                self.stdout.write(line)
                shown = line
            if report.status == Report.Status.FAILED:
                raise CommandError(f"report failed: {report.error}")
            if report.status == Report.Status.DONE:
                path = report.csv_path
                note = " (GitHub said: incomplete results)" if report.incomplete_results else ""
                self.stdout.write(self.style.SUCCESS(f"{path}{note}"))
                return ""
            time.sleep(0.1)
        raise CommandError(f"report {task_id} not finished after {timeout:.0f}s")
