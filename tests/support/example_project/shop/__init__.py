"""A small shop: orders, paid by a Celery task."""

from .celery import app as celery_app

__all__ = ["celery_app"]
