from django.apps import AppConfig


class DevserversConfig(AppConfig):
    """The GitHub replay server and the mail catcher, with their management commands."""

    name = "celery_uncovered.devservers"
