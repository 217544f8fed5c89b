"""Nothing the plugin starts outlives pytest: a pipe whose far end only pytest holds.

pytest opens one pipe per run and keeps its write end (never inherited by a child). Each process
the plugin starts gets the read end and a thread blocked on it: when pytest ends in any way —
normal end, Ctrl-C, SIGTERM, SIGKILL, a crash — the kernel closes the write end, the read returns
end-of-file, and the thread SIGKILLs its own process group (the worker and its pool children, or a
broker server and what it started). ``PR_SET_PDEATHSIG`` was not used: it fires when the *thread*
that forked the child ends, which in pytest may be any thread, and it does not reach grandchildren.

Worker processes watch from inside (``runworker``); programs that are not ours (``redis-server``,
``rabbitmq-server``) run under ``python -m pytest_celery_live.lifeline FD -- argv...``, which starts
the program in its own process group and watches for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

ENV = "CELERY_LIVE_LIFELINE"  # the read end's number, in a child's environment
_pipes: dict[int, tuple[int, int]] = {}  # by pid: a forked copy of pytest makes its own


def read_end() -> int:
    """This process's lifeline (made on first use): the fd to hand a child with ``pass_fds``."""
    if os.getpid() not in _pipes:
        _pipes[os.getpid()] = os.pipe()  # non-inheritable: only pass_fds hands the read end on
    return _pipes[os.getpid()][0]


def child_env() -> dict[str, str]:
    """The environment entry that tells a child which fd is its lifeline."""
    return {ENV: str(read_end())}


def watch(fd: int) -> threading.Thread:
    """In the child: SIGKILL this process group once ``fd`` reads end-of-file (pytest is gone)."""

    def wait_for_eof() -> None:
        try:
            while os.read(fd, 1):
                pass
        except OSError:
            pass
        os.killpg(os.getpgid(0), signal.SIGKILL)

    thread = threading.Thread(target=wait_for_eof, name="celery-live-lifeline", daemon=True)
    thread.start()
    return thread


def watch_from_env() -> None:
    """Start watching if the environment names a lifeline (a process the plugin started)."""
    fd = os.environ.pop(ENV, "")
    if fd.isdigit():
        watch(int(fd))


def wrap(argv: list[str]) -> list[str]:
    """``argv`` run under a lifeline (for a program that cannot watch one itself)."""
    return [sys.executable, "-m", "pytest_celery_live.lifeline", str(read_end()), "--", *argv]


def main() -> None:
    """``lifeline FD -- argv...``: run argv in this process group until it exits or pytest does."""
    fd, _, *argv = sys.argv[1:]
    watch(int(fd))
    child = subprocess.Popen(argv)  # same process group: the watcher's SIGKILL reaches it
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, frame: child.send_signal(number))
    code = child.wait()
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
