"""An order, paid once by a task."""

from django.db import models


class Order(models.Model):
    customer = models.CharField(max_length=100)
    total_cents = models.PositiveIntegerField()
    paid = models.BooleanField(default=False)
    paid_by_pid = models.IntegerField(null=True)  # the process that ran the payment
    payment_attempts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"order {self.pk} of {self.customer}"
