from django.apps import AppConfig


class AdvexConfig(AppConfig):
    """The tutorial's advanced level: patterns past it (none yet; see the package docstring)."""

    name = "celery_uncovered.advex"
