"""The Django project. Loading its settings loads the Celery app too (as cookiecutter-django
does), so every Django process — web, manage.py, worker, tests — binds ``shared_task`` to it."""

from celery_uncovered.celery import app as celery_app

__all__ = ["celery_app"]
