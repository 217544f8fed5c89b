"""The shop's tasks: place an order, pay it, add up prices, say the currency."""

import os

from celery import shared_task
from django.conf import settings

from .models import Order


@shared_task(name="shop.orders.place")
def place(customer: str, total_cents: int) -> int:
    """Record an order; its id."""
    return Order.objects.create(customer=customer, total_cents=total_cents).pk


@shared_task(name="shop.orders.pay")
def pay(order_id: int) -> int:
    """Mark the order paid; the id of the process that did it."""
    if not Order.objects.filter(pk=order_id).update(paid=True, paid_by_pid=os.getpid()):
        raise Order.DoesNotExist(f"no order {order_id}")
    return os.getpid()


@shared_task(name="shop.orders.total")
def total(prices: list[int]) -> int:
    return sum(prices)


@shared_task(name="shop.orders.currency")
def currency() -> str:
    return settings.SHOP_CURRENCY
