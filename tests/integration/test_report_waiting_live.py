"""A report that waits: no worker consumes its queue, or the person stops waiting for it.

The queue is the test's own (``celery_live_own_workers``), consumed by no worker until the test
starts one, so "nobody consumes it" is a fact on the real broker, asked of the real workers.
"""

import queue
import signal
import threading

import pytest
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.models import Report
from tests.support.processes import stop
from tests.support.report_status import follow_status

pytestmark = pytest.mark.live


def lines_of(stream) -> queue.Queue:
    """The stream's lines as they come, read by a thread (a pipe read would block the test)."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def text_of(stream) -> queue.Queue:
    """All of ``stream``, read by a thread: ``.get(timeout=...)`` gives it once the pipe closes.

    The pipe is read by this thread alone: no ``communicate()`` that would read it as well.
    """
    text: queue.Queue = queue.Queue(maxsize=1)
    threading.Thread(target=lambda: text.put(stream.read()), daemon=True).start()
    return text


def wait_for_line(lines: queue.Queue, text: str, timeout: float) -> list[str]:
    """Every line read up to the first that contains ``text`` (the last); fail after ``timeout``."""
    seen: list[str] = []

    def line_seen() -> bool:
        while not lines.empty() and not (seen and text in seen[-1]):
            seen.append(lines.get())
        return bool(seen) and text in seen[-1]

    wait_until(line_seen, timeout, f"a line with {text!r}", context=lambda: f"saw {seen}")
    return seen


# How long a report stands still before the workers are asked (3 s by default): shorter here,
# the wait is pure waiting and the notice's rule is the same.
STALL = "1"


def test_a_report_nobody_consumes_says_so_until_a_worker_takes_it(
    client, celery_live_own_workers, github, settings
):
    """Queued with no worker: the status names the queue; a worker starts: the report completes."""
    settings.REPORT_STALL_SECONDS = float(STALL)
    answer = client.post("/reports/", {"period": "week", "date": "2026-11-24"})
    status_url = answer.json()["status_url"]
    expected = f"no worker is consuming queue {celery_live_own_workers.queue}"

    def told() -> bool:
        status = client.get(status_url).json()
        assert status["state"] == "queued", status
        return status["notice"] == expected

    wait_until(told, 20, "word about the missing worker", interval=0.5)

    celery_live_own_workers.start()
    final = follow_status(client, status_url, timeout=90)[-1]
    assert (final["state"], final["notice"]) == ("done", "")


def test_the_cli_says_no_worker_consumes_the_queue(manage_py, celery_live_own_workers):
    """`--wait` on a queue nobody consumes prints which queue has no worker, instead of silence."""
    cli = manage_py.start(
        "hot_repos_report", "--period", "week", "--wait",
        CELERY_TASK_DEFAULT_QUEUE=celery_live_own_workers.queue, REPORT_STALL_SECONDS=STALL,
    )  # fmt: skip
    try:
        wait_for_line(
            lines_of(cli.stdout),
            f"no worker is consuming queue {celery_live_own_workers.queue}",
            30,
        )
    finally:
        stop(cli)


def test_ctrl_c_during_wait_says_the_report_stays_queued_without_a_traceback(
    manage_py, celery_live_own_workers
):
    """SIGINT while waiting: one line saying how to follow the report, exit non-zero, no trace.

    No worker consumes the queue, so the line says the report stays queued and names the queue
    (it used to say "keeps running on the workers", with nothing running)."""
    cli = manage_py.start(
        "hot_repos_report", "--period", "week", "--wait",
        CELERY_TASK_DEFAULT_QUEUE=celery_live_own_workers.queue,
    )  # fmt: skip
    errors = text_of(cli.stderr)
    try:
        lines = lines_of(cli.stdout)
        queued = wait_for_line(lines, "queued report", 30)[-1]
        task_id = queued.split()[2]
        wait_for_line(lines, " pages", 30)  # its first progress line: well into the wait
        cli.send_signal(signal.SIGINT)
        returncode = cli.wait(timeout=20)
        stderr = errors.get(timeout=10)
    finally:
        if cli.poll() is None:
            stop(cli)
    assert returncode != 0
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr
    assert f"stays queued: no worker consumes queue {celery_live_own_workers.queue}" in stderr
    assert "keeps running" not in stderr
    assert f"--follow {task_id}" in stderr
    assert f"/reports/{task_id}/" in stderr
    assert Report.objects.filter(task_id=task_id).exists()
