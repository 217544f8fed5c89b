"""Scenario 3 live: per-task log files written by a real prefork worker (2 children)."""

import pytest
from django.utils import translation

from celery_uncovered.tricks.tasks import add, read_scenario_file_task
from tests.support.tasklogs import LINE, lines_of

pytestmark = [pytest.mark.live, pytest.mark.subprocess]


def test_n_calls_leave_n_whole_lines_with_distinct_task_ids(proc_worker):
    """200 adds across two child processes: 200 well-formed lines, none interleaved or lost."""
    results = [add.delay(i, 10_000) for i in range(200)]
    values = [proc_worker.wait(r, timeout=60) for r in results]
    assert values == [i + 10_000 for i in range(200)]
    ours = {r.id for r in results}
    lines = lines_of(add.name)
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)][:3]
    mine = [LINE.match(line) for line in lines if LINE.match(line)["task_id"] in ours]
    assert len(mine) == 200
    assert {m["task_id"] for m in mine} == ours
    assert {m["message"] for m in mine} == {
        f"Result of {i} + 10000 = {i + 10_000}" for i in range(200)
    }
    pids = proc_worker.log_text()
    assert "ForkPoolWorker-1" in pids
    assert "ForkPoolWorker-2" in pids


def test_each_task_writes_only_its_own_file(proc_worker):
    """A second task's lines land in its file, never in add's, and add's never in its."""
    with translation.override("fr"):
        read = read_scenario_file_task.delay()
    added = add.delay(1, 2)
    proc_worker.wait(read, timeout=20)
    proc_worker.wait(added, timeout=20)
    read_lines = lines_of(read_scenario_file_task.name)
    add_lines = lines_of(add.name)
    assert any(read.id in line for line in read_lines)
    assert any(added.id in line for line in add_lines)
    assert not any(read.id in line for line in add_lines)
    assert not any(added.id in line for line in read_lines)
    assert all(read_scenario_file_task.name in line for line in read_lines)
