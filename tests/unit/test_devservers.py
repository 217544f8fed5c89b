"""The development servers as a person runs them: a restart keeps mail, a taken port is one line."""

import asyncio
import socket
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from celery_uncovered.devservers.mailcatcher import Mailbox


def deliver(mailbox: Mailbox, subject: str) -> None:
    """What aiosmtpd hands the mailbox for one message."""
    content = f"Subject: {subject}\r\nTo: admin@localhost\r\n\r\nbody\r\n".encode()
    asyncio.run(mailbox.handle_DATA(None, None, SimpleNamespace(content=content)))


def test_a_restarted_mail_catcher_keeps_the_mail_an_earlier_run_saved(tmp_path):
    """Two runs on one --save-dir: every message stays on disk (the second used to overwrite)."""
    deliver(Mailbox(tmp_path), "first run")
    deliver(Mailbox(tmp_path), "second run")  # a new process counts from 1 again
    saved = sorted(tmp_path.glob("*.eml"))
    assert [p.name for p in saved] == ["00001.eml", "00002.eml"]
    assert [b"first run" in p.read_bytes() for p in saved] == [True, False]
    assert b"second run" in saved[1].read_bytes()


@pytest.mark.parametrize("command", ["mailcatcher", "replay_github"])
def test_a_port_already_in_use_is_one_clear_line(command):
    """The port is taken: a CommandError naming it, not a traceback from deep inside a server."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=rf"cannot listen on 127\.0\.0\.1:{port}"):
            call_command(command, port=port)
