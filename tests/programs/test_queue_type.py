"""``CELERY_QUEUE_TYPE=quorum``: what Celery 5.7 is given (the countdowns: tests/unit).

The settings are read once per process, so the queue type is checked in a child process that
loads them with the variable set, as a worker would; no broker is needed to build the queues.
"""

import json
import os
import subprocess
import sys

from tests.support.project import ROOT

PROBE = """
import json, django
django.setup()
from celery_uncovered import celery_app as app
from celery.utils.quorum_queues import detect_quorum_queues
made = app.amqp.queues["made-on-the-fly"]
default = app.amqp.queues[app.conf.task_default_queue]
print(json.dumps({
    "default": [default.queue_arguments, default.exchange.type],
    "made": [made.queue_arguments, made.exchange.type],
    "detected": detect_quorum_queues(app, "amqp")[0],
    "delayed": app.conf.broker_native_delayed_delivery_queue_type,
    "detect": app.conf.worker_detect_quorum_queues,
}))
"""


def settings_seen(queue_type: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["CELERY_QUEUE_TYPE"] = queue_type
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_quorum_makes_every_queue_quorum_on_a_topic_exchange():
    """The default queue and one made on the fly alike; the worker will see quorum queues."""
    seen = settings_seen("quorum")
    assert seen.returncode == 0, seen.stderr
    conf = json.loads(seen.stdout)
    quorum = [{"x-queue-type": "quorum"}, "topic"]
    assert conf == {
        "default": quorum, "made": quorum, "detected": True, "delayed": "quorum", "detect": True,
    }  # fmt: skip


def test_classic_stays_as_celery_makes_it_and_a_typo_is_refused():
    """The default changes nothing; an unknown type stops the process instead of guessing."""
    conf = json.loads(settings_seen("classic").stdout)
    assert (conf["default"], conf["made"], conf["detected"]) == (
        [None, "direct"], [None, "direct"], False,
    )  # fmt: skip
    refused = settings_seen("qourum")
    assert refused.returncode != 0
    assert "CELERY_QUEUE_TYPE='qourum': classic or quorum" in refused.stderr
