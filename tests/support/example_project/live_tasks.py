"""A task only the tests need; ``celery_live_include`` makes every worker import it too."""

import time

from celery import shared_task
from django.db.models import F
from shop.orders.models import Order
from shop.orders.tasks import pay


@shared_task(name="shop_tests.pay_after_a_crash", acks_late=True, reject_on_worker_lost=True)
def pay_after_a_crash(order_id: int) -> int:
    """The first delivery counts itself and hangs (the test kills its worker); the next pays."""
    Order.objects.filter(pk=order_id).update(payment_attempts=F("payment_attempts") + 1)
    if Order.objects.get(pk=order_id).payment_attempts == 1:
        time.sleep(300)
    return pay(order_id)
