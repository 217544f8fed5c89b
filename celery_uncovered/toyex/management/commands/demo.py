"""`manage.py demo`: the project's main job, for real, on the embedded defaults and offline."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from celery_uncovered import celery_app
from celery_uncovered.advex.workers import WorkerProcess
from celery_uncovered.tricks.tasks import add


class Command(BaseCommand):
    help = "Start a real worker on the embedded broker, run the demo job through it, stop it."

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", verbosity=0)
        worker = WorkerProcess(
            app=celery_app,
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            log_path=settings.VAR_DIR / "demo-worker.log",
            pool="threads",
            concurrency=8,
        )
        self.stdout.write(f"starting a worker on {celery_app.conf.broker_url} …")
        worker.start(ready_timeout=60)
        try:
            result = add.delay(2, 3)
            self.stdout.write(f"add(2, 3) → {result.get(timeout=30)} (task {result.id})")
        finally:
            worker.stop()
        self.stdout.write(self.style.SUCCESS(f"done; worker log: {worker.log_path}"))
