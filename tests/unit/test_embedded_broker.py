"""The embedded broker writes each message under a hidden name and renames it into place."""

import json
import os

from kombu import Connection, Queue

from celery_uncovered import celery_app
from celery_uncovered.transports import filesystem


def test_a_message_is_never_visible_before_it_is_whole(tmp_path, monkeypatch):
    """When the message file appears under its real name, its full payload is already in it."""
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    seen_at_rename = []
    real_replace = os.replace

    def checking_replace(src, dst):
        visible = [n for n in os.listdir(tmp_path) if n.endswith(".q.msg")]
        with open(src, "rb") as handle:
            seen_at_rename.append((visible, json.loads(handle.read())))
        real_replace(src, dst)

    monkeypatch.setattr(filesystem.os, "replace", checking_replace)
    with Connection(transport=filesystem.Transport, transport_options=options) as conn:
        queue = Queue("q", routing_key="q")
        conn.SimpleQueue(queue).put({"hello": "world"})
        [(visible, payload)] = seen_at_rename
        assert visible == []
        assert payload["body"]
        message = conn.SimpleQueue(queue).get(timeout=1)
        assert message.payload == {"hello": "world"}


def test_the_embedded_default_uses_the_atomic_transport(settings):
    """The filesystem URL is paired with our transport whenever it is the broker."""
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        assert celery_app.conf.broker_transport.endswith("transports.filesystem:Transport")
    assert filesystem.Transport.Channel is filesystem.Channel


def test_a_fanout_removes_what_a_dead_worker_s_pidbox_queue_left(tmp_path):
    """A queue still bound to a fanout exchange but consumed by nobody (a killed worker's pidbox)
    keeps one file per broadcast: each fanout removes its files older than a minute."""
    options = {
        "data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
    }  # fmt: skip
    with Connection(transport=filesystem.Transport, transport_options=options) as conn:
        channel = conn.default_channel
        channel.exchange_declare("pidbox", type="fanout")
        channel.queue_declare("dead.celery.pidbox")
        channel.queue_bind("dead.celery.pidbox", "pidbox")
        for _ in range(3):
            channel.basic_publish(channel.prepare_message("ping"), "pidbox", "")
        old = sorted(tmp_path.glob("*.dead.celery.pidbox.msg"))
        assert len(old) == 3
        an_hour_ago = os.stat(old[0]).st_mtime - 3600
        for path in old:
            os.utime(path, (an_hour_ago, an_hour_ago))
        channel.basic_publish(channel.prepare_message("ping"), "pidbox", "")
        left = sorted(tmp_path.glob("*.dead.celery.pidbox.msg"))
    assert len(left) == 1
    assert left[0] not in old
