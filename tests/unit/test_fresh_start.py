"""A fresh clone and an installed wheel need no set-up step: the project makes its own folders."""

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from celery_uncovered.testing.waiting import DeadlinePassed, wait_until
from tests.support.github_recordings import GOLDEN

ROOT = Path(__file__).resolve().parents[2]
# Variables of the test run that must not leak into a process that plays a new user.
RUN_VARIABLES = re.compile(
    r"(DJANGO_|CELERY_|TEST_|DATABASE_URL|MEDIA_ROOT|LOGS_DIR|VAR_DIR|GITHUB_)"
)


def new_user_env(**extra: str) -> dict[str, str]:
    """The environment of a person who just cloned the project: no test-run settings at all."""
    env = {k: v for k, v in os.environ.items() if not RUN_VARIABLES.match(k)}
    return {**env, **extra}


def folders_under(var: Path) -> dict[str, bool]:
    return {
        name: (var / name).is_dir() for name in ("media", "logs", "broker/queue", "broker/control")
    }


def test_no_product_module_names_the_test_tree():
    """The app never reads tests/: what the demo serves ships inside the package."""
    pattern = re.compile(r"\btests[/.\\]|[\"']tests[\"']")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("celery_uncovered", "config")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_manage_py_makes_the_folders_its_settings_name(tmp_path):
    """`manage.py migrate` on a machine with no var/ creates the database and every folder."""
    var = tmp_path / "fresh" / "var"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT, env=new_user_env(VAR_DIR=str(var)), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert (var / "db.sqlite3").is_file()
    assert folders_under(var) == dict.fromkeys(folders_under(var), True)


@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_programs_start_on_a_machine_with_no_var_folder(tmp_path, program):
    """`celery worker` and `celery beat` make their folders before use, and keep running."""
    var = tmp_path / "var"
    argv = [sys.executable, "-m", "celery", "-A", "celery_uncovered", program, "-l", "INFO"]
    if program == "worker":
        argv += ["-P", "solo", "--without-gossip", "--without-mingle"]
    else:
        argv += ["-s", str(tmp_path / "beat-schedule")]
    log = tmp_path / f"{program}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=tmp_path, env=new_user_env(VAR_DIR=str(var)), stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    ready = "ready." if program == "worker" else "Starting..."
    try:
        with contextlib.suppress(DeadlinePassed):  # the assertions below show the log
            wait_until(
                lambda: proc.poll() is not None or ready in log.read_text(errors="replace"),
                60, f"{program} to be {ready}", interval=0.2,
            )  # fmt: skip
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        assert ready in log.read_text(errors="replace")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    assert folders_under(var) == dict.fromkeys(folders_under(var), True)


def test_the_demo_runs_from_an_installed_wheel_outside_the_checkout(tmp_path):
    """`pip install .` into a new venv, then the demo from an empty folder: the golden report."""
    uv = [sys.executable, "-m", "uv"]
    run = {"capture_output": True, "text": True, "timeout": 600, "env": new_user_env()}
    built = subprocess.run([*uv, "build", "--out-dir", tmp_path / "dist", ROOT], **run)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    venv = tmp_path / "venv"
    made = subprocess.run([*uv, "venv", "--python", sys.executable, venv], **run)
    assert made.returncode == 0, made.stderr[-3000:]
    installed = subprocess.run(
        [*uv, "pip", "install", "--python", venv / "bin" / "python", wheel], **run
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    demo = subprocess.run(
        [venv / "bin" / "celery-uncovered", "demo", "--latency", "0"], cwd=elsewhere, **run
    )
    assert demo.returncode == 0, (demo.stdout + demo.stderr)[-3000:]
    (report,) = (elsewhere / "var" / "media").glob("github-hot-repos-*.csv")
    assert report.read_bytes() == GOLDEN.read_bytes()
    assert list(venv.glob("lib/*/site-packages/var")) == []  # nothing written inside the venv
