"""Why can a chord on the django-db result backend fire early or never, and how is it fixed?

A chord on django-db that counts each header task once, however often its message runs.

django-celery-results counts a chord down by one for every header result it is told of. A page
whose message runs twice (a worker killed after the page was marked done, before its result
was stored; a broker node lost with an ack) then either counts twice, which fires the body
before the last page is in, or, if the second copy keeps quiet, not at all: the counter stays
one short and the report stays "running" with every page done (issue 24). Here a header task's
return asks instead whether every header task has a result: a question with one answer however
many copies ask it, under the counter row's lock so that only one copy fires the body.
"""

from __future__ import annotations

from typing import Any

from celery import maybe_signature
from django.db import router, transaction
from django_celery_results.backends.database import (  # type: ignore[import-untyped]
    ChordCounter,
    DatabaseBackend,
    trigger_callback,
)


class CountOnceDatabaseBackend(DatabaseBackend):  # type: ignore[misc]
    """django-db results, with a chord whose body runs once every header task has a result."""

    # The page task reads this: a second copy of a page may return its result (it counts once).
    counts_each_header_task_once = True

    def on_chord_part_return(self, request: Any, state: str, result: Any, **kwargs: Any) -> None:
        """Fire the body when every header task is ready; a later copy finds no counter."""
        task_id, group_id = request.id, request.group
        if not group_id or not task_id:
            return
        with transaction.atomic(using=router.db_for_write(ChordCounter)):
            counter = ChordCounter.objects.select_for_update().filter(group_id=group_id).first()
            if counter is None:
                return  # the body was sent already (or this is no chord of ours)
            header = counter.group_result(app=self.app)
            if not header.ready():
                return
            counter.delete()
        callback = maybe_signature(request.chord, app=self.app)
        trigger_callback(app=self.app, callback=callback, group_result=header)
