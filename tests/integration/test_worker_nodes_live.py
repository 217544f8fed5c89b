"""Two worker processes under two node names on one queue: one report, shared, still correct.

Several hosts each run a worker on the same queue; here two ``celery worker`` processes stand for
them (``celery_live_own_workers``: each with its own node name and log, one slot each, so neither
can take every page while the other waits). Both write this run's per-task log files: two processes,
two handlers opened on the same file.
"""

import re
from pathlib import Path

import pytest
from pytest_celery_live.waiting import wait_until

from celery_uncovered.toyex.hotrepos.tasks import fetch_hot_repos, produce_hot_repo_report
from celery_uncovered.tricks.tasks import add
from tests.support.faults import finished_report
from tests.support.github_recordings import GOLDEN
from tests.support.tasklogs import LINE, lines_of

pytestmark = pytest.mark.live

PAGE_DONE = re.compile(r"fetch_hot_repos\[[0-9a-f-]{36}\] succeeded in \S+s: \{'page': (\d)")
ADD_DONE = re.compile(r"tricks\.tasks\.add\[([0-9a-f-]{36})\] succeeded")


def test_two_worker_nodes_share_a_reports_pages_and_the_task_logs_stay_whole(
    celery_live_own_workers, github, tmp_path
):
    """Five pages over two nodes: both fetch some, the CSV is the golden one, no line is torn.

    Relies on the broker handing a queue's messages to every consumer of it (RabbitMQ round
    robin, Redis and the embedded broker whichever polls first); one slot each and a page's
    latency keep either node from taking everything while the other is free. With the second
    node started only after the report, its log has no page and the test fails.
    """
    media = tmp_path / "media"
    nodes = [celery_live_own_workers.start(concurrency=1, MEDIA_ROOT=str(media)) for _ in range(2)]
    assert nodes[0].node_name != nodes[1].node_name
    github.state.latency = 0.5

    result = produce_hot_repo_report.delay("week", "2026-11-24")
    report = finished_report(result.id, timeout=60)
    assert (report.status, report.error) == ("done", "")
    assert Path(result.get(timeout=10)).read_bytes() == GOLDEN.read_bytes()

    pages = [{int(p) for p in PAGE_DONE.findall(node.log_text())} for node in nodes]
    assert all(pages), f"pages per node: {pages}"
    assert pages[0] | pages[1] == {1, 2, 3, 4, 5}

    # Both processes append to the same per-task files: many short tasks, then every line whole.
    adds = [add.delay(i, 1) for i in range(100)]
    wait_until(lambda: all(r.ready() for r in adds), 60, "100 adds on the two nodes")
    ran = [set(ADD_DONE.findall(node.log_text())) for node in nodes]
    assert all(ran), "both nodes ran adds"
    for task in (add, fetch_hot_repos):
        lines = lines_of(task.name)
        assert lines
        assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)][:3]
    ours = {r.id for r in adds}
    logged = {LINE.match(line)["task_id"] for line in lines_of(add.name)}
    assert ours <= logged
