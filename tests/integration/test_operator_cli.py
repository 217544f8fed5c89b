"""The command lines an operator types, run as programs (issue 25, items 3, 7 and 9).

Each test starts a real program (manage.py, celery) in a subprocess: they live outside the fast
tier. Ctrl-C is a real SIGINT; a broker "that accepts but never answers" is a real listening
socket that reads nothing.
"""

import signal
import socket
import subprocess
import sys
import threading

import pytest
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.models import Report
from tests.support.processes import child_env
from tests.support.project import ROOT, new_user_env

pytestmark = pytest.mark.live


@pytest.fixture
def silent_broker():
    """A TCP port that accepts connections and never says a word (a hung broker or proxy)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    server.close()


def test_ctrl_c_while_publishing_leaves_no_queued_report_and_no_traceback(manage_py, silent_broker):
    """The row is written before the publish: Ctrl-C in the publish takes it back, in one line."""
    cli = manage_py.start(
        "hot_repos_report", "--period", "week",
        CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{silent_broker}//",
    )  # fmt: skip
    wait_until(lambda: Report.objects.exists(), 60, "the CLI's queued row")
    cli.send_signal(signal.SIGINT)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 130, (out, err)
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert "nothing was queued" in err
    assert not Report.objects.exists(), list(Report.objects.values("task_id", "status", "error"))


def test_ctrl_c_at_start_up_is_one_line(manage_py):
    """SIGINT while the command is still importing Django: no 80-line KeyboardInterrupt.

    ``PYTHONPROFILEIMPORTTIME`` makes the interpreter say each import on stderr as it happens,
    so the signal lands while Django's management code is loading, not before Python runs.
    """
    cli = manage_py.start("hot_repos_report", "--period", "week", PYTHONPROFILEIMPORTTIME="1")
    seen: list[str] = []
    for line in cli.stderr:
        seen.append(line)
        if "django.core.management" in line:
            cli.send_signal(signal.SIGINT)
            break
    _out, err = cli.communicate(timeout=60)
    said = [line for line in err.splitlines() if not line.startswith("import time:")]
    assert any("django.core.management" in line for line in seen), seen[-5:]
    assert cli.returncode == 130, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert said == ["interrupted"], said


def test_celery_call_and_result_work_from_the_command_line(
    celery_live_proc_worker, celery_live_worker_env
):
    """`celery -A celery_uncovered call <task>` then `result <id>`: no AppRegistryNotReady."""
    env = child_env(celery_live_worker_env)
    celery = [sys.executable, "-m", "celery", "-A", "celery_uncovered"]
    call = subprocess.run(
        [*celery, "call", "celery_uncovered.tricks.tasks.add", "--args", "[2, 3]",
         "--queue", celery_live_proc_worker.queue],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert call.returncode == 0, call.stderr[-3000:]
    task_id = call.stdout.strip().splitlines()[-1]
    result = subprocess.run(
        [*celery, "result", task_id],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "5"


def start_up(tmp_path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A program of the project on a new user's environment plus ``env``."""
    return subprocess.run(
        [sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=new_user_env(VAR_DIR=str(tmp_path), **env),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DJANGO_SETTINGS_MODULE": "config.settings.production"}, "DJANGO_SECRET_KEY"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE='Mars/Olympus'"),
    ],
)
@pytest.mark.parametrize(
    "argv",
    [("manage.py", "check"), ("-m", "celery", "-A", "celery_uncovered", "inspect", "ping")],
    ids=["manage.py", "celery"],
)
def test_a_start_up_misconfiguration_is_one_line_naming_the_variable(tmp_path, env, names, argv):
    done = start_up(tmp_path, *argv, **env)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-3000:]
    assert names in lines[0]
