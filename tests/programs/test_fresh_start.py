"""A fresh clone and an installed wheel need no set-up step: the project makes its own folders."""

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_celery_live.waiting import DeadlinePassed, wait_until

from tests.support.github_recordings import GOLDEN
from tests.support.installed import run_quietly, venv_with_wheel
from tests.support.project import ROOT, new_user_env


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
    """`celery worker` and `celery beat` make their folders before use, and keep running.

    Beat runs without `-s`, as the README says: its schedule goes under VAR_DIR, not into the
    folder it was started from (it wrote celerybeat-schedule.* into the checkout)."""
    var = tmp_path / "var"
    argv = [sys.executable, "-m", "celery", "-A", "celery_uncovered", program, "-l", "INFO"]
    if program == "worker":
        argv += ["-P", "solo", "--without-gossip", "--without-mingle"]
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
    if program == "worker":  # nobody ran migrate on this VAR_DIR: the worker says so, once
        text = log.read_text(errors="replace")
        assert text.count("the database has no tables yet: run `python manage.py migrate`") == 1
    if program == "beat":
        assert list(tmp_path.glob("celerybeat-schedule*")) == []
        assert list((var / "beat").glob("celerybeat-schedule*")) != []


def test_the_demo_runs_from_an_installed_wheel_outside_the_checkout(tmp_path):
    """`pip install .` into a new venv, then the demo from an empty folder: the golden report."""
    bin_dir = venv_with_wheel()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run_quietly([bin_dir / "celery-uncovered", "demo", "--latency", "0"], cwd=elsewhere)
    (report,) = (elsewhere / "var" / "media").glob("github-hot-repos-*.csv")
    assert report.read_bytes() == GOLDEN.read_bytes()
    assert list(bin_dir.parent.glob("lib/*/site-packages/var")) == []  # nothing written in the venv


def test_a_report_asked_of_an_unmigrated_database_says_run_migrate(tmp_path):
    """A new user's first command on a fresh VAR_DIR: one line naming `migrate`, no traceback."""
    done = subprocess.run(
        [sys.executable, "manage.py", "hot_repos_report", "--period", "week"],
        cwd=ROOT, env=new_user_env(VAR_DIR=str(tmp_path / "var")), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "CommandError: the database has no tables yet: run `python manage.py migrate`"
    )
