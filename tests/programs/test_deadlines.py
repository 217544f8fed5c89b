"""Every test has a deadline, and a Ctrl-C test works however the run was started.

Both are about the harness, so both run the suite's own configuration in a child pytest: a hung
test must fail with pytest-timeout's message and let the run go on (not hold CI for 90 minutes),
and the Ctrl-C test must pass when the run inherits an ignored SIGINT, as a job started in the
background of a non-interactive shell (``nohup bash -c './dev test &'``) does.
"""

import subprocess
import sys
import tomllib

import pytest

from tests.support.project import ROOT, new_user_env

OURS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]

HUNG = """
import subprocess, sys, threading, time

def test_waits_for_a_child_that_never_ends():
    threading.Thread(target=time.sleep, args=(600,), name="helper-that-sleeps", daemon=True).start()
    subprocess.run([sys.executable, "-c", "import time; time.sleep(600)"])  # hung on purpose

def test_after_the_hung_one():
    assert True
"""

# As a non-interactive shell starts a job with `&`: SIGINT (and SIGQUIT) ignored, and inherited.
IN_THE_BACKGROUND = ["bash", "-c", '"$@" & wait $!', "bash"]
CTRL_C_TEST = (
    "tests/integration/test_report_waiting_live.py"
    "::test_ctrl_c_during_wait_says_the_report_stays_queued_without_a_traceback"
)


def test_a_hung_test_fails_with_the_timeout_s_message_and_the_run_goes_on(pytester):
    """Our timeout method, at 2 s: the hung test fails naming itself, the next one still runs."""
    pytester.makeini(f"[pytest]\ntimeout = 2\ntimeout_method = {OURS['timeout_method']}\n")
    pytester.makepyfile(test_hung=HUNG)
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:celery_live", timeout=120)
    result.assert_outcomes(failed=1, passed=1)
    out = result.stdout.str()
    assert "Timeout (>2.0s) from pytest-timeout" in out
    assert "FAILED test_hung.py::test_waits_for_a_child_that_never_ends" in out
    assert "Stack of helper-that-sleeps" in out  # every other thread's stack, to see why


def test_the_suite_has_a_deadline_on_every_test():
    """The ceiling every tier runs under (nox sets shorter ones), well under CI's 90 minutes."""
    assert 0 < int(OURS["timeout"]) <= 300
    assert OURS["timeout_method"] == "signal"  # fails the test and goes on; "thread" ends the run


def test_the_ctrl_c_test_passes_from_a_shell_that_ignores_sigint():
    """`nohup bash -c '... &'`: the run inherits SIGINT ignored; the CLI child still gets Ctrl-C."""
    probe = subprocess.run(
        [*IN_THE_BACKGROUND, sys.executable, "-c",
         "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert probe.stdout.strip() == "True"  # the shell really ignores it
    env = new_user_env(CELERY_LIVE_BROKER="embedded", CELERY_LIVE_BACKEND="django-db")
    run = subprocess.run(
        [*IN_THE_BACKGROUND, sys.executable, "-m", "pytest", CTRL_C_TEST, "-q",
         "-p", "no:cacheprovider", "--timeout=120"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == pytest.ExitCode.OK, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
