"""Countdowns in the form the broker holds them: whole seconds when RabbitMQ holds them.

With quorum queues (``CELERY_QUEUE_TYPE=quorum``) Celery 5.7 hands a countdown to RabbitMQ's
native delayed delivery, which routes it by ``int(countdown)`` seconds: a 0.4 s backoff becomes
0 and the publish raises ``ValueError: countdown must be a positive number`` (a retry then
rejects its message: the page is lost and the report never ends; the cluster fault test found
it), and 1.7 s becomes 1 s, early. Rounding up keeps "never before the wait".
"""

from __future__ import annotations

import math

from django.conf import settings


def broker_countdown(seconds: float) -> float:
    """``seconds`` as the broker can hold it: rounded up to whole seconds on quorum queues."""
    if settings.CELERY_QUEUE_TYPE == "quorum" and seconds > 0:
        return float(math.ceil(seconds))
    return seconds
