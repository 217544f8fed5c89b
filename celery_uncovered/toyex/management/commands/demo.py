"""`manage.py demo`: the project's main job, for real, on the embedded defaults and offline."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from celery_uncovered import celery_app
from celery_uncovered.devservers.replay import ReplayServer
from celery_uncovered.toyex.hotrepos.demo_worker import DemoWorker
from celery_uncovered.toyex.models import Report


class Command(BaseCommand):
    help = "Replay GitHub, start a real worker, build the weekly hot-repo report, stop everything."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="week")
        parser.add_argument("--latency", type=float, default=0.3, help="replay latency per page")
        parser.add_argument("--rows", type=int, default=8, help="CSV rows to print")

    def handle(
        self, *args: object, period: str, latency: float, rows: int, **options: object
    ) -> None:
        call_command("migrate", verbosity=0)
        replay = ReplayServer().start_in_thread()
        replay.state.latency = latency
        settings.GITHUB_API_URL = replay.url
        worker = DemoWorker(
            app=celery_app,
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            log_path=settings.VAR_DIR / "demo-worker.log",
            pool="threads",
            concurrency=8,
            env={"GITHUB_API_URL": replay.url},
        )
        self.stdout.write(
            f"GitHub replayed at {replay.url}; worker on {celery_app.conf.broker_url}"
        )
        worker.start(ready_timeout=60)
        try:
            call_command(
                "hot_repos_report", period=period, wait=True, timeout=120, stdout=self.stdout
            )
            report = Report.objects.latest("created")
            lines = report.csv_path.read_text(encoding="utf-8").splitlines()
            self.stdout.write(f"first {min(rows, len(lines))} of {len(lines)} rows:")
            for line in lines[:rows]:
                self.stdout.write("  " + (line if len(line) < 110 else line[:107] + "..."))
        finally:
            worker.stop()
            replay.stop()
        self.stdout.write(self.style.SUCCESS(f"done; worker log: {worker.log_path}"))
