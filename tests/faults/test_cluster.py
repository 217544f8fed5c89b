"""A three-node RabbitMQ cluster loses the node leading a queue: nothing is lost, nothing waits.

The cluster is the module's own (``celery_live_rabbitmq_cluster``: three nodes on private ports,
their own data and cookie, started once for the module, killed after it); each test starts its
killed node again first (``heal``). The worker and the CLI that queues the report know only the
three nodes' URLs, ``;``-separated, and run with ``CELERY_QUEUE_TYPE=quorum``: the report's queue
is a quorum queue, replicated on all three nodes, so a lost node leaves it (and its messages) on
the other two, which elect a new leader. The worker's connection, if it was on the lost node,
fails over to the next URL. What a node takes with it is the acknowledgements it had not
replicated: those messages come back, so tasks run twice (README, "every task safe to run twice").

RabbitMQ only: a run on Redis deselects this module (``celery_live_broker``).
"""

import os
import subprocess
import sys

import pytest
from celery import Celery
from kombu import Connection
from pytest_celery_live.brokers import PrivateBroker
from pytest_celery_live.waiting import DeadlinePassed, wait_until

from celery_uncovered.toyex.models import Report
from tests.support.faults import golden_name, page_requests
from tests.support.github_recordings import GOLDEN
from tests.support.project import ROOT, database_url_for_worker

pytestmark = [pytest.mark.live, pytest.mark.faults, pytest.mark.celery_live_broker("rabbitmq")]

QUEUE_TYPE = os.environ.get("TEST_CLUSTER_QUEUE_TYPE", "quorum")  # "classic": the mechanism off


@pytest.fixture
def cluster(celery_live_rabbitmq_cluster):
    """The module's cluster with all three nodes running (a test before may have killed one)."""
    return celery_live_rabbitmq_cluster.heal()


@pytest.fixture
def cluster_env(cluster, celery_live_own_workers, tmp_path) -> dict[str, str]:
    """What the worker and the CLI share: the three nodes' URLs, quorum queues, a media folder."""
    return {
        "CELERY_BROKER_URL": cluster.url,
        "CELERY_QUEUE_TYPE": QUEUE_TYPE,
        "CELERY_TASK_DEFAULT_QUEUE": celery_live_own_workers.queue,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


@pytest.fixture
def probe(cluster):
    """An app on the cluster, to ping the worker there (the test process's app is on another)."""
    app = Celery("cluster-probe", broker=cluster.url, set_as_current=False)
    yield app
    app.close()


def queue_report(celery_live_own_workers, env: dict[str, str]) -> str:
    """Queue the week report through the real CLI pointed at the cluster; its task id."""
    queued = subprocess.run(
        [sys.executable, "manage.py", "hot_repos_report", "--period", "week",
         "--date", "2026-11-24"],
        env={**os.environ, **celery_live_own_workers.env, **env,
             "DATABASE_URL": database_url_for_worker()},
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return queued.stdout.split()[2]


def finished(task_id: str, worker, cluster, timeout: float = 90) -> Report:
    """The report once done or failed; past the deadline, the worker's log and the cluster."""

    def report() -> Report | None:
        row = Report.objects.filter(task_id=task_id).first()
        return row if row and row.status in ("done", "failed") else None

    def context() -> str:
        return f"{worker.describe(60)}\ncluster queues: {cluster.queues()}"

    try:
        return wait_until(report, timeout, f"report {task_id} to finish", context=context)
    except DeadlinePassed as exc:
        pytest.fail(str(exc), pytrace=False)


def wait_until_settled(cluster, probe, queues: list[str], timeout: float = 60) -> None:
    """Until nothing waits or is unacknowledged in ``queues`` and the workers run nothing.

    After a node is lost, copies of messages whose acks it took with it come back: the checks
    on files and pages must come after those copies ran, not while one is still writing.
    """

    def settled() -> bool:
        rows = cluster.queues()
        busy = [
            name
            for name, row in rows.items()
            if (name in queues or name.startswith("celery_delayed_"))
            and (row["messages_ready"] or row["messages_unacknowledged"])
        ]
        # A new connection each time: the probe's pooled one may have been to the lost node.
        with Connection(cluster.url) as conn:
            active = probe.control.inspect(timeout=1, connection=conn).active() or {}
        return not busy and not any(active.values())

    wait_until(settled, timeout, f"queues {queues} empty and the workers idle", interval=0.5)


def test_the_report_completes_when_the_node_leading_its_queue_is_killed(
    cluster, cluster_env, celery_live_own_workers, probe, github, tmp_path
):
    """SIGKILL the queue's leader with a page in flight and pages waiting: one CSV, the golden one.

    One slot and a second per page, so the kill finds pages waiting in the queue and one in the
    worker's hands. Relies on the quorum queue (a classic queue lives on one node: what waited
    in it dies with the node, and the report never ends), on the broker URL naming every node
    (the worker fails over), and on ``acks_late`` on the fetch (the page in flight, unacknowledged
    on the lost node, is delivered again).
    """
    media = tmp_path / "media"
    worker = celery_live_own_workers.start(app=probe, concurrency=1, **cluster_env)
    github.state.latency = 1.0
    task_id = queue_report(celery_live_own_workers, cluster_env)

    def pages_waiting_in_the_queue() -> bool:
        row = cluster.queues().get(celery_live_own_workers.queue, {})
        return bool(github.state.seen) and row.get("messages_ready", 0) >= 2

    wait_until(pages_waiting_in_the_queue, 30, "a page in flight and pages waiting in the queue")
    assert cluster.queues()[celery_live_own_workers.queue]["type"] == QUEUE_TYPE
    cluster.leader_of(celery_live_own_workers.queue).crash()

    report = finished(task_id, worker, cluster)
    assert (report.status, report.error) == ("done", "")
    wait_until_settled(cluster, probe, [celery_live_own_workers.queue])
    # one file, the golden one, and no temp file left by a copy delivered twice
    assert sorted(path.name for path in media.iterdir()) == [golden_name(task_id)]
    assert (media / golden_name(task_id)).read_bytes() == GOLDEN.read_bytes()

    # The worker still consumes: a new report, queued after the loss, is built too.
    github.state.reset()
    second = finished(
        queue_report(celery_live_own_workers, cluster_env), worker, cluster, timeout=60
    )
    assert (second.status, second.error) == ("done", "")


def test_a_rate_limit_wait_held_by_the_cluster_survives_the_loss_of_its_node(
    cluster, cluster_env, celery_live_own_workers, probe, github
):
    """Page 3 waits out a 403's Retry-After; the node holding that wait dies; the retry comes once.

    With quorum queues the wait is not held in the worker's memory but by RabbitMQ (Celery's
    native delayed delivery: the retry goes through the ``celery_delayed_*`` quorum queues, a
    message TTL per bit of the countdown, dead-lettered at least once from one level to the next).
    The test kills the node leading the delayed queue that holds the retry (with classic queues,
    ``TEST_CLUSTER_QUEUE_TYPE=classic``, the node of the report's queue, where the message the
    worker holds waits unacknowledged: then the retry is lost and the test fails).
    """
    wait = 10
    worker = celery_live_own_workers.start(app=probe, GITHUB_MAX_WAIT=str(wait + 5), **cluster_env)
    github.state.add_fault(3, "403", wait=wait)
    task_id = queue_report(celery_live_own_workers, cluster_env)

    def node_holding_the_wait() -> PrivateBroker | None:
        if not page_requests(github, 3):
            return None
        rows = cluster.queues()
        if QUEUE_TYPE == "classic":  # the worker holds the countdown, its message unacked there
            held = rows[celery_live_own_workers.queue]["messages_unacknowledged"]
            return cluster.leader_of(celery_live_own_workers.queue) if held else None
        held = [
            n for n, r in rows.items() if n.startswith("celery_delayed_") and r["messages_ready"]
        ]
        return cluster.leader_of(held[0]) if held else None

    wait_until(node_holding_the_wait, wait - 2, "the retry to wait on a node").crash()

    report = finished(task_id, worker, cluster)
    assert (report.status, report.error) == ("done", "")
    wait_until_settled(cluster, probe, [celery_live_own_workers.queue])
    first_ask, *retries = page_requests(github, 3)
    assert len(retries) == 1, f"page 3 asked again {len(retries)} times, not once"
    assert retries[0] - first_ask >= wait - 0.5  # after the wait, never before
