from django.apps import AppConfig


class ToyexConfig(AppConfig):
    """Scenario 1 (GitHub hot-repo report) and scenario 2 (admin e-mails for 500 errors)."""

    name = "celery_uncovered.toyex"

    def ready(self) -> None:
        """Make the folders the settings name: a fresh clone has none (see directories.py)."""
        from django.conf import settings

        from celery_uncovered.directories import configured_folders, make_folders

        make_folders(configured_folders(settings))
        # A worker says at start when migrate was not run, or when its Redis result store is down.
        from celery_uncovered.messaging import resultstore  # noqa: F401

        from .hotrepos import tables  # noqa: F401
