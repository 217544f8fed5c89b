"""The embedded broker: kombu's filesystem transport, with messages that appear whole.

kombu 5.7's filesystem transport creates a message file, then locks it and writes the payload. A
consumer in another process does not take that (advisory) lock: it may move and read the file while
it is still empty, and the worker dies with "Unrecoverable error: JSONDecodeError" (seen here under
a burst of messages). Here a message is written under a name the consumer ignores and renamed into
place, which is atomic on one file system: a consumer sees no file or a whole one.
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


class Transport(filesystem.Transport):
    Channel = Channel
