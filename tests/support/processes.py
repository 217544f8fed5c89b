"""This project's programs as a person runs them: `manage.py` commands and `runserver` children.

Each child shares the test's run: its settings module, run id, broker and backend, the test
database (by URL), the replay server and the mail catcher.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

from .project import ROOT, database_url_for_worker


def child_env(worker_env: Mapping[str, str], **extra: str) -> dict[str, str]:
    """The environment of a project program in this run (``worker_env``: the plugin's extras)."""
    return {
        **os.environ,
        **worker_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for_worker(),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def restore_ctrl_c() -> None:
    """In the child, before exec: SIGINT back to its default, whatever the test run inherited.

    A job started in the background of a non-interactive shell (``nohup bash -c '... &'``) runs
    with SIGINT ignored, and an ignored signal stays ignored across fork and exec; Python then
    installs no KeyboardInterrupt handler, and the test's Ctrl-C does nothing. Popen's
    ``restore_signals`` resets SIGPIPE, SIGXFZ and SIGXFSZ only, not SIGINT.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(process: subprocess.Popen, timeout: float = 10) -> int:
    """Kill ``process`` and reap it within ``timeout`` s (never an endless wait); its exit code.

    Only waits for the exit: a pipe that a reader thread also reads is left to that thread
    (``communicate()`` there could wait on a pipe a grandchild still holds open).
    """
    process.kill()
    return process.wait(timeout)


@dataclass
class ManagePy:
    """``python manage.py`` in a subprocess, sharing this run's settings and test database."""

    env: dict[str, str]

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "manage.py", *args]

    def run(self, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
        """Run it to the end; ``env`` overrides (a broker URL, a queue)."""
        return subprocess.run(
            self.argv(*args), env={**self.env, **env}, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        """Start it and return at once (to read its output as it goes, or to interrupt it).

        Its SIGINT is the default one (``restore_ctrl_c``): a test that presses Ctrl-C reaches
        it however the test run itself was started."""
        return subprocess.Popen(
            self.argv(*args), env={**self.env, **env}, cwd=ROOT, preexec_fn=restore_ctrl_c,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip


@dataclass
class Runserver:
    """A ``manage.py runserver`` child: Django's own HTTP server, which logs through django.server.

    pytest-django's ``live_server`` uses a quiet request handler that logs nothing, so what only
    the development server does (its "GET /path" 500 record) needs the real program.
    """

    process: subprocess.Popen
    url: str
    log_path: Path

    def get(self, path: str, timeout: float = 30.0, **headers: str) -> int:
        """GET ``path``; the HTTP status, error statuses included."""
        return requests.get(self.url + path, headers=headers, timeout=timeout).status_code

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
