"""Nothing left running, nothing left behind: SIGKILL pytest, and its processes die within 5 s.

The inner run starts the session's prefork worker, a worker of the test's own and (on RabbitMQ or
Redis) a private broker server, leaves a message in a queue of the run's own, writes down the
pids, and blocks. The outer test SIGKILLs the inner pytest — no teardown code runs — and then
checks by pid that every process of those groups is gone within 5 s, that the queue is still
there (nobody deleted it), and that the clean-up command removes it by the run's id.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_celery_live import selection
from pytest_celery_live.runs import RunRecord

HOLD = """
import json, os, threading

from proj import add
from pytest_celery_live.queues import use_queue

PRIVATE = os.environ["WITH_PRIVATE_BROKER"] == "1"


def test_hold(request, celery_live_proc_worker, celery_live_own_workers, celery_live_app,
              celery_live_queue):
    own = celery_live_own_workers.start(pool="prefork", concurrency=2)
    pids = [celery_live_proc_worker.process.pid, own.pid]
    if PRIVATE:
        pids.append(request.getfixturevalue("celery_live_private_broker")._proc.pid)
    queue = f"{celery_live_queue}-nobody"
    with use_queue(celery_live_app, queue):
        add.delay(1, 2)
    with open(os.environ["PIDS_FILE"] + ".partial", "w") as out:
        json.dump({"leaders": pids, "queue": queue}, out)
    os.replace(os.environ["PIDS_FILE"] + ".partial", os.environ["PIDS_FILE"])
    threading.Event().wait(300)
"""


def group_members(leaders: list[int]) -> set[int]:
    """Every live process in the process groups led by ``leaders`` (and the leaders)."""
    members = set(leaders)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) in leaders:  # pgrp
                    members.add(int(entry.name))
    return members


def alive(pid: int) -> bool:
    """Running (a zombie, dead and waiting for its parent to read it, does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def queue_messages(record: RunRecord, queue: str) -> int | None:
    """Messages in ``queue`` on the run's broker; None when the queue does not exist."""
    with record.connection() as conn:
        channel = conn.channel()
        try:
            return channel.queue_declare(queue, passive=True).message_count
        except Exception:  # NOT_FOUND: gone
            return None
        finally:
            with contextlib.suppress(Exception):
                channel.close()


def test_sigkill_of_pytest_leaves_nothing_alive_and_cleanup_removes_the_queues(
    plain_project, tmp_path
):
    kind = selection.broker_kind(selection.chosen()[0] or "")
    pids_file = tmp_path / "pids.json"
    plain_project.makepyfile(test_hold=HOLD)
    env = {
        **os.environ,
        "PIDS_FILE": str(pids_file),
        "WITH_PRIVATE_BROKER": "1" if kind in ("rabbitmq", "redis") else "0",
    }
    inner = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s"],
        cwd=plain_project.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        header = inner.stdout.readline()
        while "celery_live: run " not in header:
            assert header, "the inner run ended before its header"
            header = inner.stdout.readline()
        run_id = re.search(r"celery_live: run (\w+)", header)[1]
        deadline = time.monotonic() + 120
        while not pids_file.exists():
            assert inner.poll() is None, inner.stdout.read()
            assert time.monotonic() < deadline, "the inner run never got its workers"
            time.sleep(0.1)
        held = json.loads(pids_file.read_text())
        processes = group_members(held["leaders"])
        assert len(processes) >= 6, processes  # two workers, their pool children, the broker
        assert all(alive(pid) for pid in held["leaders"])
    finally:
        inner.send_signal(signal.SIGKILL)
        inner.wait(10)

    deadline = time.monotonic() + 5
    while (left := {pid for pid in processes if alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"still alive 5 s after SIGKILL of pytest: {sorted(left)}"

    record = RunRecord.load(run_id)
    assert held["queue"] in record.queues
    assert queue_messages(record, held["queue"]) == 1, "the run's queue should have been left"
    done = subprocess.run(
        [sys.executable, "-m", "pytest_celery_live.cleanup", run_id],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert queue_messages(record, held["queue"]) in (None, 0)
    assert not record.path.exists()


def test_a_run_that_ends_deletes_its_queues_and_its_record(plain_project):
    plain_project.makepyfile(
        test_one="""
        from proj import add

        def test_one(celery_live_proc_worker, celery_live_run_id):
            print("RUN", celery_live_run_id)
            assert celery_live_proc_worker.wait(add.delay(1, 2)) == 3
        """
    )
    result = plain_project.runpytest_subprocess("-s")
    result.assert_outcomes(passed=1)
    run_id = re.search(r"RUN (\w+)", result.stdout.str())[1]
    with pytest.raises(FileNotFoundError):
        RunRecord.load(run_id)


def test_the_cleanup_command_touches_only_the_run_it_names(tmp_path, monkeypatch):
    """A run id with no record is said, and nothing else is removed."""
    monkeypatch.setenv("CELERY_LIVE_RUNS_DIR", str(tmp_path))
    other = RunRecord("other-run", "memory://")
    other.save()
    done = subprocess.run(
        [sys.executable, "-m", "pytest_celery_live.cleanup", "no-such-run"],
        capture_output=True, text=True, timeout=60, env={**os.environ},
    )  # fmt: skip
    assert done.returncode == 1
    assert "no-such-run: no record" in done.stdout
    assert other.path.exists()
