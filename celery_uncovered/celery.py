"""The Celery app: configured from Django settings (CELERY_*), tasks found in each installed app."""

import os
from pathlib import Path
from typing import Any

from celery import Celery, signals

from celery_uncovered.directories import BROKER_FOLDER_OPTIONS, make_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# The result backend's name in the settings (django-celery-results' own alias).
DJANGO_DB = "django-db"


class App(Celery):
    """Celery, with django-db's chords counting each header task once (advex/chords.py).

    Chosen here, where the backend is made, so any layer of settings that names ``django-db``
    (the settings, a test run's, a worker's command line) gets it.
    """

    def _get_backend(self) -> Any:
        # Read the configuration first: that sets Django up (on_configure below), which the
        # chords module's models need; `celery result <id>` makes the backend before anything else.
        if not self.backend_cls and self.conf.result_backend == DJANGO_DB:
            from celery_uncovered.advex import chords

            return chords.CountOnceDatabaseBackend(app=self, url=None)
        return super()._get_backend()  # type: ignore[misc]


app = App("celery_uncovered")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Scenario 2's e-mail task lives in toyex/errormail/mail.py: modules named "mail" hold tasks too.
app.autodiscover_tasks(related_name="mail")


@app.on_configure.connect
def _set_django_up(sender: Celery, **kwargs: object) -> None:
    """Django's apps loaded before the configuration is read, in a process that has not yet.

    The django-db result backend imports Django models: in `celery -A celery_uncovered call` or
    `result`, which load no task modules (Celery's Django fix-up sets Django up only then), that
    was an AppRegistryNotReady traceback. In a Django process Django is set up (or being set up)
    already, and this does nothing.
    """
    from django.apps import apps

    if apps.ready or apps.loading:
        return
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # one line naming the variable, as manage.py says it
        raise SystemExit(f"ImproperlyConfigured: {exc}") from None


@app.on_after_configure.connect
def _make_embedded_broker_folders(sender: Celery, **kwargs: object) -> None:
    """kombu's filesystem transport expects its folders, even in a process that loads no apps."""
    options = sender.conf.broker_transport_options or {}
    make_folders(Path(options[key]) for key in BROKER_FOLDER_OPTIONS if key in options)


@signals.task_prerun.connect
@signals.task_postrun.connect
def _database_connections_as_in_a_request(sender: object = None, **kwargs: object) -> None:
    """Django's rule for a connection, at each task as at each request: closed once older than
    CONN_MAX_AGE or broken, health-checked before its next use (settings: CELERY_DB_REUSE_MAX).

    Not in eager calls: the caller's connection (a test's transaction) is not the task's.
    """
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
