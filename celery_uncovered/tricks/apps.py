from django.apps import AppConfig


class TricksConfig(AppConfig):
    """Scenario 3 (per-task log files) and scenario 4 (scope-aware tasks)."""

    name = "celery_uncovered.tricks"
