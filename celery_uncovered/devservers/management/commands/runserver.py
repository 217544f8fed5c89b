"""`manage.py runserver`, which starts with the database down and says so in one line.

Django's runserver checks for unapplied migrations at start, even with ``--skip-checks``, and
died of an unreachable database with a 40-line traceback. This one says why and serves: pages
answer 503 until the database is back (celery_uncovered/web/databasedown.py).
"""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver
from django.db import DatabaseError

from celery_uncovered.web.databasedown import first_line


class Command(StaticRunserver):
    def check_migrations(self) -> None:
        try:
            super().check_migrations()
        except DatabaseError as exc:
            self.stderr.write(
                f"cannot open the database ({first_line(exc)}); pages answer 503 until it answers"
            )
