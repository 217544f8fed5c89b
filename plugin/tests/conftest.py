"""The plugin's own proofs: projects written into a temporary folder, run by pytester.

Each project is a pytest run of its own (``runpytest_subprocess``), finding the plugin through its
entry point as a user's project would, on the broker and backend this run names
(``CELERY_LIVE_BROKER`` / ``CELERY_LIVE_BACKEND``, inherited by the inner run).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

PLAIN_APP = """
from celery import Celery

app = Celery("proj")


@app.task
def add(x, y):
    return x + y
"""


@pytest.fixture
def plain_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A Celery app with no Django at all: ``proj.app`` and its ``add`` task."""
    pytester.makepyfile(proj=PLAIN_APP)
    pytester.makeini("[pytest]\ncelery_live_app = proj\npythonpath = .\n")
    return pytester


@pytest.fixture
def write(pytester: pytest.Pytester) -> Callable[[str, str], Path]:
    """``write(path, text)``: a file of the project, ``text`` dedented."""

    def write_file(path: str, text: str) -> Path:
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
        return target

    return write_file


@pytest.fixture(autouse=True)
def _not_ci_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs decide skip-or-fail by their own flags, not by this run's CI variable."""
    if "CI" in os.environ:
        monkeypatch.delenv("CI")
