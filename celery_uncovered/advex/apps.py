from django.apps import AppConfig


class AdvexConfig(AppConfig):
    """Patterns past the tutorial: running and waiting for real workers, tracking chord progress."""

    name = "celery_uncovered.advex"
