"""celery_uncovered: the four 'Celery Uncovered' scenarios, tested on real workers."""

from .celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["__version__", "celery_app"]
