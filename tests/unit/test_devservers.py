"""The development servers as a person runs them: a restart keeps mail, a taken port is one line."""

import asyncio
import logging
import socket
import struct
from types import SimpleNamespace

import pytest
import requests
from django.core.management import CommandError, call_command
from pytest_celery_live.brokers import free_port
from pytest_celery_live.waiting import wait_until

from celery_uncovered.devservers.mailcatcher import Mailbox, MailCatcher
from celery_uncovered.devservers.replay import ReplayServer


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


@pytest.mark.parametrize("command", ["mailcatcher", "replay_github"])
@pytest.mark.parametrize("port", ["-1", "99999"])
def test_a_port_out_of_range_is_a_usage_error(command, port):
    """`--port -1` or `99999`: argparse says the range, not an OverflowError from the socket."""
    with pytest.raises(CommandError, match="expected a port from 1 to 65535"):
        call_command(command, "--port", port)


def test_an_unwritable_save_folder_is_refused_at_start(tmp_path):
    """`--save-dir` that cannot be made: one line at start, not `500 FileNotFoundError` per mail."""
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match=r"cannot save mail in .*a-file/mail"):
        call_command(
            "mailcatcher",
            "--port",
            str(free_port()),
            "--save-dir",
            str(tmp_path / "a-file" / "mail"),
        )


def test_the_mail_catcher_starts_without_logging_its_connection_to_itself(caplog):
    """aiosmtpd's start-up self-check (six INFO lines ending `Connection lost`) is not shown."""
    caplog.set_level(logging.INFO)
    catcher = MailCatcher(port=free_port()).start()
    catcher.stop()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("mail.log")] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--latency", "-1"],
        ["--fault", "0:403"],
        ["--fault", "6:403"],
        ["--fault", "3:403:-1"],
    ],
)
def test_replay_options_it_cannot_obey_are_refused(argv):
    """A negative latency crashed every request; a fault for a page that does not exist, or a
    negative wait, was accepted and never happened."""
    refused = "expected a number of seconds|page must be 1 to 5|wait must be 0"
    with pytest.raises(CommandError, match=refused):
        call_command("replay_github", "--port", str(free_port()), *argv)


def test_the_replay_server_logs_one_line_per_request_with_its_fault():
    """A person watching sees each request: path, page, status and the scripted fault."""
    lines: list[str] = []
    server = ReplayServer(log=lines.append).start_in_thread()
    server.state.add_fault(3, "403", wait=2)
    try:
        requests.get(f"{server.url}/search/repositories", params={"page": 3}, timeout=10)
        requests.get(f"{server.url}/search/repositories", params={"page": 3}, timeout=10)
    finally:
        server.stop()
    assert lines == [
        "GET /search/repositories page 3: 403 (fault 403, 2s)",
        "GET /search/repositories page 3: 200",
    ]


def test_a_client_that_gives_up_on_a_slow_page_is_one_line_not_a_traceback(capsys):
    """The client closes (a timeout) while a slow page waits: a line, no BrokenPipeError trace."""
    lines: list[str] = []
    server = ReplayServer(log=lines.append).start_in_thread()
    server.state.add_fault(1, "slow", wait=0.5)
    host, port = server.server_address[:2]
    try:
        client = socket.create_connection((host, port))
        client.sendall(b"GET /search/repositories?page=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        # Reset on close (SO_LINGER 0): the server's answer meets a dead socket, as after a timeout.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
        wait_until(lambda: lines, 10, "the server to log the request", interval=0.05)
    finally:
        server.stop()
    [line] = lines
    assert line.startswith("GET /search/repositories page 1: client went away before the answer")
    assert "Traceback" not in capsys.readouterr().err
