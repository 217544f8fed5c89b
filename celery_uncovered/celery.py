"""The Celery app: configured from Django settings (CELERY_*), tasks found in each installed app."""

import os
from pathlib import Path

from celery import Celery

from celery_uncovered.directories import BROKER_FOLDER_OPTIONS, make_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("celery_uncovered")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Scenario 2's e-mail task lives in toyex/mail.py: modules named "mail" hold tasks too.
app.autodiscover_tasks(related_name="mail")


@app.on_after_configure.connect
def _make_embedded_broker_folders(sender: Celery, **kwargs: object) -> None:
    """kombu's filesystem transport expects its folders, even in a process that loads no apps."""
    options = sender.conf.broker_transport_options or {}
    make_folders(Path(options[key]) for key in BROKER_FOLDER_OPTIONS if key in options)
