"""The embedded broker: kombu's filesystem transport, with messages that appear whole.

kombu 5.7's filesystem transport creates a message file, then locks it and writes the payload. A
consumer in another process does not take that (advisory) lock: it may move and read the file while
it is still empty, and the worker dies with "Unrecoverable error: JSONDecodeError" (seen here under
a burst of messages). Here a message is written under a name the consumer ignores and renamed into
place, which is atomic on one file system: a consumer sees no file or a whole one.

A fanout (remote control: ``ping``, ``inspect``, "is any worker listening?") writes one file per
queue bound to the exchange, and a worker that died without unbinding its ``<host>.celery.pidbox``
queue stays bound for good: its files piled up (19 for the demo's long-gone worker). Each fanout
here first removes that queue's files older than ``STALE_FANOUT_SECONDS``: a live worker takes
its control messages within milliseconds, and a control message that old has long timed out.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

STALE_FANOUT_SECONDS = 60.0


def remove_stale_messages(folder: str, queue: str, older_than: float) -> int:
    """Delete ``queue``'s message files last written more than ``older_than`` seconds ago."""
    suffix = f".{queue}.msg"
    limit = time.time() - older_than
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.endswith(suffix):
                continue
            with contextlib.suppress(FileNotFoundError):  # taken or removed meanwhile
                if entry.stat().st_mtime < limit:
                    os.remove(entry.path)
                    removed += 1
    return removed


class Channel(filesystem.Channel):
    # kombu's filesystem Channel takes (queue, payload, **kwargs), and celery-types' stub of it
    # says so, with this same ignore: its base AbstractChannel's stub names (queue, message).
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: object) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot: `_get` matches `<stamp>_<uuid>.<queue>.msg` only, so it skips this file.
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _put_fanout(self, exchange: str, payload: Any, routing_key: str, **kwargs: Any) -> None:
        for bound in self.get_table(exchange):
            remove_stale_messages(self.data_folder_out, bound.queue, STALE_FANOUT_SECONDS)
            self._put(bound.queue, payload, **kwargs)


class Transport(filesystem.Transport):
    Channel = Channel
