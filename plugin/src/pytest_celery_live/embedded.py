"""The embedded broker's transport: kombu's filesystem transport, with messages that appear whole.

kombu 5.7's filesystem transport creates a message file, then locks it and writes the payload; a
consumer does not take that (advisory) lock and may read the file while it is still empty, and
the worker dies with "Unrecoverable error: JSONDecodeError". The run's 20 ms poll made that
common (the in-process worker's first ping, in CI). Here a message is written under a name the
consumer skips and renamed into place, atomic on one file system. Used for a run on the embedded
broker when the project names no ``broker_transport`` of its own.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# What ``broker_transport`` names (a string, so worker processes get it through their settings).
TRANSPORT = "pytest_celery_live.embedded:Transport"


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: object) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot: kombu's `_get` matches `<stamp>_<uuid>.<queue>.msg` only.
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
