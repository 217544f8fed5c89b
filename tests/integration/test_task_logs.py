"""Scenario 3 live: per-task log files written by a real prefork worker (2 children)."""

import pytest
from django.utils import translation

from celery_uncovered.toyex.hotrepos.tasks import fetch_hot_repos, produce_hot_repo_report
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks.tasks import add, read_scenario_file_task
from tests.support.tasklogs import LINE, lines_of, records_of

pytestmark = [pytest.mark.live, pytest.mark.subprocess]


def test_n_calls_leave_n_whole_lines_with_distinct_task_ids(celery_live_proc_worker):
    """200 adds across two child processes: 200 well-formed lines, none interleaved or lost."""
    results = [add.delay(i, 10_000) for i in range(200)]
    values = [celery_live_proc_worker.wait(r, timeout=60) for r in results]
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
    pids = celery_live_proc_worker.log_text()
    assert "ForkPoolWorker-1" in pids
    assert "ForkPoolWorker-2" in pids


def test_each_task_writes_only_its_own_file(celery_live_proc_worker):
    """A second task's lines land in its file, never in add's, and add's never in its."""
    with translation.override("fr"):
        read = read_scenario_file_task.delay()
    added = add.delay(1, 2)
    celery_live_proc_worker.wait(read, timeout=20)
    celery_live_proc_worker.wait(added, timeout=20)
    read_lines = lines_of(read_scenario_file_task.name)
    add_lines = lines_of(add.name)
    assert any(read.id in line for line in read_lines)
    assert any(added.id in line for line in add_lines)
    assert not any(read.id in line for line in add_lines)
    assert not any(added.id in line for line in read_lines)
    # Every record names its task (a traceback's lines continue an ERROR record of their own).
    records = records_of(read_scenario_file_task.name)
    assert records
    assert all((m := LINE.match(r)) and m["task"] == read_scenario_file_task.name for r in records)


def new_lines(task_name: str, before: int) -> list[str]:
    return lines_of(task_name)[before:]


def test_a_report_s_retry_and_failure_are_in_its_files_and_the_worker_log_has_no_traceback(
    celery_live_proc_worker, github
):
    """What an operator reads. A 502 then a 401: the fetch file has the retry (INFO) and the
    failure (WARNING); the produce file says the report started; the worker's own log says the
    401 once, as expected, without a traceback (it had one per page, and one for the chord) and
    without dumping the pages' results."""
    fetch, produce = fetch_hot_repos.name, produce_hot_repo_report.name
    fetch_before, produce_before = len(lines_of(fetch)), len(lines_of(produce))
    log_before = len(celery_live_proc_worker.log_text())

    github.state.add_fault(2, "502")
    retried = produce_hot_repo_report.delay("week", "2026-11-24")
    celery_live_proc_worker.wait(retried, timeout=60)
    assert any(
        " INFO " in line and "retry 1 of 5 in 0.2s: GitHub failed (502): Bad Gateway" in line
        for line in new_lines(fetch, fetch_before)
    ), new_lines(fetch, fetch_before)

    github.state.add_fault(1, "401")
    failed = produce_hot_repo_report.delay("month", "2026-11-24")

    def failure_logged() -> list[str]:
        return [
            line
            for line in new_lines(fetch, fetch_before)
            if " WARNING " in line and "failed: GitHub rejected the credentials (401)" in line
        ]

    celery_live_proc_worker.wait_until(failure_logged, 30, "the 401 in fetch_hot_repos.log")
    celery_live_proc_worker.wait_until(
        lambda: Report.objects.get(task_id=failed.id).status == "failed", 30, "the report to fail"
    )
    assert all(LINE.match(line) for line in new_lines(fetch, fetch_before))
    started = new_lines(produce, produce_before)
    assert any(retried.id in line and "fetching its pages" in line for line in started), started
    worker_log = celery_live_proc_worker.log_text()[log_before:]
    assert "raised expected: BadCredentials" in worker_log
    assert "Traceback" not in worker_log, worker_log[-3000:]
    assert "raised unexpected" not in worker_log
    successes = [line for line in worker_log.splitlines() if " succeeded in " in line]
    assert successes
    assert max(map(len, successes)) < 400  # a page's result is cut (it was its whole answer)
