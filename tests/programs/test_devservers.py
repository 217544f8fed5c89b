"""The development servers started as a person starts them: `manage.py replay_github`."""

import subprocess
import sys

from pytest_celery_live.brokers import free_port
from pytest_celery_live.waiting import wait_until

from tests.support.project import ROOT


def test_the_replay_server_prints_the_variable_the_worker_needs(tmp_path):
    """Its first lines give `GITHUB_API_URL=http://127.0.0.1:<port>` to copy, not only the URL."""
    port = free_port()
    out = tmp_path / "replay.out"
    with out.open("w") as stdout:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "replay_github", "--port", str(port)],
            cwd=ROOT, stdout=stdout, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until(
            lambda: "GITHUB_API_URL=" in out.read_text(), 30, "the variable to set",
            context=lambda: out.read_text(),
        )  # fmt: skip
    finally:
        server.kill()
        server.wait(10)
    assert f"GITHUB_API_URL=http://127.0.0.1:{port} celery -A celery_uncovered worker" in (
        out.read_text()
    )
