"""A real SMTP server that keeps what it receives: for people (a command) and tests (a fixture)."""

from __future__ import annotations

import email
import email.policy
import itertools
import logging
import socket
import tempfile
import threading
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def save_new_file(folder: Path, number: int, content: bytes) -> Path:
    """Save as ``NNNNN.eml``, the first free number from ``number`` on: never over an old file.

    A restarted catcher counts from 1 again; exclusive creation skips what an earlier run (or
    another catcher on the same folder) saved, instead of overwriting it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for candidate in itertools.count(number):
        path = folder / f"{candidate:05d}.eml"
        try:
            with path.open("xb") as handle:
                handle.write(content)
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable: itertools.count never ends")


def check_writable_folder(folder: Path) -> None:
    """Make ``folder`` and write a file in it, or raise OSError now, at start.

    Otherwise the catcher started and then refused every message with ``500 FileNotFoundError``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
        pass


def check_port_free(host: str, port: int) -> None:
    """Bind the port once, or raise OSError at once: aiosmtpd reports a taken port only after
    its ``ready_timeout`` (about 6 s of silence)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio's server does
        probe.bind((host, port))


def quiet_session_log() -> None:
    """aiosmtpd logs each SMTP session at INFO, its start-up connection to itself included (six
    lines ending ``Connection lost during _handle_client()``, some after ``start()`` returns).
    The catcher shows each message itself; aiosmtpd's warnings and errors still pass."""
    logger = logging.getLogger("mail.log")
    if logger.level == logging.NOTSET:  # unless someone chose a level for it
        logger.setLevel(logging.WARNING)


class Mailbox:
    """aiosmtpd handler: parses each message, keeps it, optionally saves it as .eml."""

    def __init__(
        self,
        save_dir: Path | None = None,
        on_message: Callable[[EmailMessage], object] | None = None,
    ) -> None:
        self.messages: list[EmailMessage] = []
        self.save_dir = save_dir
        self.on_message = on_message
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        # bytes: the Controller decodes nothing (decode_data=False); str only when it does.
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            count = len(self.messages)
        if self.save_dir:
            save_new_file(self.save_dir, count, content)
        if self.on_message:
            self.on_message(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


class MailCatcher:
    """Start and stop the SMTP server on a port; the mailbox outlives restarts."""

    def __init__(
        self, port: int = 1025, host: str = "127.0.0.1", mailbox: Mailbox | None = None
    ) -> None:
        self.host, self.port = host, port
        self.mailbox = mailbox or Mailbox()
        self._controller: Controller | None = None

    def start(self) -> MailCatcher:
        """Listen; OSError at once when the port is taken or the save folder is not writable."""
        if self.mailbox.save_dir:
            check_writable_folder(self.mailbox.save_dir)
        check_port_free(self.host, self.port)
        self._controller = Controller(self.mailbox, hostname=self.host, port=self.port)
        quiet_session_log()
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None
