from django.apps import AppConfig


class AdvexConfig(AppConfig):
    """The tutorial's advanced level: the patterns past it (see the package docstring)."""

    name = "celery_uncovered.advex"

    def ready(self) -> None:
        """Register beat's stuck-report task wherever the app loads, as toyex's tasks were."""
        from . import tasks  # noqa: F401
