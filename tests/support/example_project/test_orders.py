"""The shop's tasks on a real broker and real workers, through the celery_live plugin."""

import os

import pytest
from kombu import Connection
from pytest_celery_live.live import serve
from pytest_celery_live.queues import purge_queue, queue_depth, use_queue
from pytest_celery_live.selection import chosen
from pytest_celery_live.waiting import wait_until
from shop.orders.models import Order
from shop.orders.tasks import currency, pay, place, total


def test_the_total_is_added_up_inline(celery_live_eager):
    assert total.delay([250, 1250]).get() == 1500


def test_an_order_placed_inline_leaves_the_app_on_the_run_s_broker(
    celery_live_eager, db, celery_live_app
):
    """pytest-django runs database tests like this one first: the pool it builds is the one the
    later live tests publish through, so it must already be the run's broker."""
    order_id = place.delay("linus", 100).get()
    assert Order.objects.filter(pk=order_id).exists()
    broker, _ = chosen()
    expected = Connection(broker or celery_live_app.conf.broker_url)
    used = celery_live_app.pool.connection
    where = (used.hostname, used.port, used.virtual_host)
    assert where == (expected.hostname, expected.port, expected.virtual_host)


def test_a_message_waits_on_the_broker_until_a_worker_takes_it(
    celery_live_broker_url, celery_live_app, celery_live_queue
):
    """The broker alone, no worker: a queue of this run's own, read on the broker."""
    queue = f"{celery_live_queue}-nobody"
    with use_queue(celery_live_app, queue):  # routed there, emptied first
        total.delay([1, 2])
        wait_until(lambda: queue_depth(celery_live_app, queue) == 1, 10, "the message to wait")
        purge_queue(celery_live_app, queue)  # leave the shared broker as we found it


def test_the_worker_sees_the_order_the_test_saved(celery_live_proc_worker):
    """The worker process reads the row this test committed."""
    order = Order.objects.create(customer="ada", total_cents=1500)
    paid_by = celery_live_proc_worker.wait(pay.delay(order.pk))
    order.refresh_from_db()
    assert order.paid
    assert order.paid_by_pid == paid_by != os.getpid()


def test_the_test_sees_the_order_the_worker_saved(celery_live_proc_worker):
    """... and this test reads the row the worker process committed."""
    order_id = celery_live_proc_worker.wait(place.delay("grace", 990))
    assert Order.objects.get(pk=order_id).customer == "grace"


# docs: one-session-worker-start
WORKERS_SEEN = set()


@pytest.mark.parametrize("customer", ["alan", "barbara", "edsger"])
def test_one_session_worker_serves_test_after_test(celery_live_proc_worker, customer):
    """The same worker process answers in every test: one start per session."""
    order = Order.objects.create(customer=customer, total_cents=100)
    assert celery_live_proc_worker.wait(pay.delay(order.pk)) != os.getpid()
    WORKERS_SEEN.add(celery_live_proc_worker.process.pid)
    assert len(WORKERS_SEEN) == 1
    # docs: one-session-worker-end


def test_workers_get_the_environment_the_conftest_gives(celery_live_proc_worker):
    assert celery_live_proc_worker.wait(currency.delay()) == "EUR"
    assert currency() == "USD"  # this process's own settings


def test_the_in_process_worker_runs_tasks_in_this_process(celery_live_inproc_worker):
    order = Order.objects.create(customer="margaret", total_cents=4200)
    assert celery_live_inproc_worker.wait(pay.delay(order.pk)) == os.getpid()


def test_an_order_is_placed_on_either_tier(celery_live_any_worker):
    order_id = celery_live_any_worker.wait(place.delay("linus", 300))
    assert Order.objects.get(pk=order_id).total_cents == 300


@pytest.fixture
def threads_worker(celery_live_db, celery_live_app, celery_live_spawn_worker):
    """A threads-pool worker with 4 slots, started once per run like celery_live_proc_worker."""
    with serve(celery_live_app, celery_live_spawn_worker("threads", 4)) as live:
        yield live


def test_a_threads_worker_pays_in_one_process(threads_worker):
    orders = [Order.objects.create(customer=f"c{i}", total_cents=i) for i in range(4)]
    results = [pay.delay(order.pk) for order in orders]
    assert {threads_worker.wait(result) for result in results} == {threads_worker.process.pid}
