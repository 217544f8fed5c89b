"""The scenario reads this site queued: the only ids /scenario/<id>/ answers for."""

from django.db import models
from django.utils import timezone


class ScenarioRead(models.Model):
    """One scenario read asked for over HTTP, keyed by the id of the task that reads the file.

    Written before the message is sent, like a ``Report``: an id without a row (unknown, or another
    task's, such as a report whose result is a server path) is a 404, never someone else's result.
    """

    task_id = models.CharField(max_length=64, unique=True)
    locale_id = models.CharField(max_length=16)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"scenario read {self.task_id} ({self.locale_id})"
