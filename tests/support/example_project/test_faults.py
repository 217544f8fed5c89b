"""Faults on demand: a worker killed mid-task, a broker crashed and restarted."""

from live_tasks import pay_after_a_crash
from shop.orders.models import Order
from shop.orders.tasks import pay


def test_a_killed_workers_task_goes_to_its_replacement(own_workers):
    """acks_late: a task whose worker was SIGKILLed runs again on the next worker."""
    order = Order.objects.create(customer="kim", total_cents=700)
    first = own_workers.start(pool="prefork", concurrency=1)
    result = pay_after_a_crash.delay(order.pk)
    own_workers.wait_until(
        lambda: Order.objects.get(pk=order.pk).payment_attempts == 1, 30, "the first delivery"
    )
    first.kill()  # SIGKILL: no goodbye, the message is not acknowledged (acks_late)
    own_workers.start(pool="prefork", concurrency=1)
    own_workers.wait(result, timeout=60)  # Redis hands it out again after visibility_timeout
    order.refresh_from_db()
    assert (order.paid, order.payment_attempts) == (True, 2)


def test_a_queued_task_survives_a_broker_restart(private_broker, own_workers, celery_live_app):
    """A durable queue on a broker of the test's own: crashed and restarted, the task is there."""
    order = Order.objects.create(customer="joan", total_cents=800)
    # Publisher confirms: RabbitMQ answers once the message is on disk, so the crash cannot lose it.
    options = {"confirm_publish": True}
    with celery_live_app.connection_for_write(private_broker.url, transport_options=options) as c:
        result = pay.apply_async((order.pk,), connection=c)
    private_broker.crash()  # SIGKILL
    private_broker.start()
    own_workers.start(pool="prefork", concurrency=1, broker=private_broker.url)
    own_workers.wait(result, timeout=60)
    order.refresh_from_db()
    assert order.paid
