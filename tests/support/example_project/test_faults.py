"""Faults on demand: a worker killed mid-task, a broker crashed and restarted."""

from live_tasks import pay_after_a_crash
from shop.orders.models import Order
from shop.orders.tasks import pay


def test_a_killed_workers_task_goes_to_its_replacement(celery_live_own_workers):
    """acks_late: a task whose worker was SIGKILLed runs again on the next worker."""
    order = Order.objects.create(customer="kim", total_cents=700)
    first = celery_live_own_workers.start(pool="prefork", concurrency=1)
    result = pay_after_a_crash.delay(order.pk)
    celery_live_own_workers.wait_until(
        lambda: Order.objects.get(pk=order.pk).payment_attempts == 1, 30, "the first delivery"
    )
    first.kill()  # SIGKILL: no goodbye, the message is not acknowledged (acks_late)
    celery_live_own_workers.start(pool="prefork", concurrency=1)
    celery_live_own_workers.wait(
        result, timeout=60
    )  # Redis hands it out again after visibility_timeout
    order.refresh_from_db()
    assert (order.paid, order.payment_attempts) == (True, 2)


def test_a_queued_task_survives_a_broker_restart(
    celery_live_private_broker, celery_live_own_workers, celery_live_app
):
    """A durable queue on a broker of the test's own: crashed and restarted, the task is there."""
    order = Order.objects.create(customer="joan", total_cents=800)
    # Publisher confirms: RabbitMQ answers once the message is on disk, so the crash cannot lose it.
    options = {"confirm_publish": True}
    with celery_live_app.connection_for_write(
        celery_live_private_broker.url, transport_options=options
    ) as c:
        result = pay.apply_async((order.pk,), connection=c)
    celery_live_private_broker.crash()  # SIGKILL
    celery_live_private_broker.start()
    celery_live_own_workers.start(
        pool="prefork", concurrency=1, broker=celery_live_private_broker.url
    )
    celery_live_own_workers.wait(result, timeout=60)
    order.refresh_from_db()
    assert order.paid
