"""Countdowns on quorum queues: whole seconds, never shorter (the queues: tests/programs)."""

import pytest

from celery_uncovered.messaging.countdowns import broker_countdown


@pytest.mark.parametrize(
    ("queue_type", "seconds", "held"),
    [("quorum", 0.2, 1.0), ("quorum", 1.7, 2.0), ("quorum", 5, 5.0), ("quorum", 0, 0),
     ("classic", 0.2, 0.2), ("classic", 1.7, 1.7)],
)  # fmt: skip
def test_a_countdown_on_quorum_queues_is_whole_seconds_never_shorter(
    settings, queue_type, seconds, held
):
    """Native delayed delivery truncates to whole seconds (0 is refused): round up instead."""
    settings.CELERY_QUEUE_TYPE = queue_type
    assert broker_countdown(seconds) == held
