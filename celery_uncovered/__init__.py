"""celery_uncovered: the four 'Celery Uncovered' scenarios, tested on real workers.

``celery_app`` is loaded on first use, not on import: the package also ships a pytest plugin
(``pytest_celery_live``), which pytest imports before pytest-django picks the settings,
and loading the app here would choose ``config.settings.local`` first. Django processes load the
app with the settings (``config/__init__.py``), so ``shared_task`` binds to it as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from celery import Celery

__version__ = "0.1.0"
__all__ = ["__version__", "celery_app"]


def __getattr__(name: str) -> Celery:
    """``celery_uncovered.celery_app``, imported when first asked for."""
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
