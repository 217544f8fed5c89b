"""A GitHub stand-in that serves recorded real responses, so nothing here needs the internet.

Pages 1 to 5 of ``/search/repositories`` are five recorded search responses, shipped inside the
package (``recordings/github/``, their sources and licences in its ``SOURCES.md``) so the demo and
``replay_github`` work from an installed wheel too; the unit tests read the same files. Latency
can be added to every request, and faults scripted per page: each fault answers one request, then
the page serves its recording again.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

RECORDED_PAGES = {
    1: "pygithub/search-repositories_q-github-language-python_sort-stars_page1_200",
    2: "pygithub/search-repositories_q-github-language-python_sort-stars_page2_200",
    3: "hub4j-github-api/search-repositories_q-user-is-public-fork-true_mixed-languages_200",
    4: "octokit-rb/search-repositories_q-tetris-language-assembly_sort-stars_200",
    5: "github3py/search-repositories_q-github3-language-python_per-page-100_unauthenticated_200",
}
# Recorded bodies for each fault; GitHub's 5xx pages are HTML, so a 5xx answers with a short text.
FAULT_BODIES = {
    "401": "pygithub/user_bad-credentials-basic-auth_401",
    "403": "pygithub/search-code_abuse-secondary-limit-retry-after_403",
    "403-primary": "pygithub/users_primary-rate-limit-exceeded-unauthenticated_403",
    "429": "pygithub/search-code_abuse-secondary-limit-retry-after_403",
    "422": "pygithub/user-keys_validation-failed_422",
    "incomplete": "pygithub/search-issues_incomplete-results-true_empty_200",
}
FAULTS = (*FAULT_BODIES, "500", "502", "503", "slow")
# The one copy of the recordings: the replay server and the tests both read them from here.
DATA_DIR = Path(__file__).resolve().parent / "recordings" / "github"


@dataclass
class Fault:
    """One scripted answer: ``kind`` from FAULTS, ``wait`` for Retry-After/reset or a slow page."""

    kind: str
    wait: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in FAULTS:
            raise ValueError(f"unknown fault {self.kind!r}: choose one of {', '.join(FAULTS)}")


@dataclass
class ReplayState:
    """What the server does next, and what it has seen (for tests to assert on)."""

    latency: float = 0.0
    faults: dict[int, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    seen: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_fault(self, page: int, kind: str, wait: float = 1.0, times: int = 1) -> None:
        with self.lock:
            self.faults[page].extend(Fault(kind, wait) for _ in range(times))

    def next_fault(self, page: int) -> Fault | None:
        with self.lock:
            queue = self.faults.get(page)
            return queue.popleft() if queue else None

    def reset(self) -> None:
        with self.lock:
            self.latency = 0.0
            self.faults.clear()
            self.seen.clear()


def load_body(stem: str, data_dir: Path = DATA_DIR) -> bytes:
    return (data_dir / f"{stem}.body.json").read_bytes()


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers GET /search/repositories from the recordings."""

    server: ReplayServer

    _status = 0
    _fault = ""

    def log_message(self, format: str, *args: object) -> None:
        """http.server's own log is off: ``ReplayServer(log=...)`` gets one line per request."""

    def do_GET(self) -> None:
        """Answer, then log one line; a client that went away (a timeout) is a line, not a trace."""
        try:
            self._answer()
        except ConnectionError as exc:  # BrokenPipeError, ConnectionResetError
            self._log(f"client went away before the answer ({type(exc).__name__})")
            self.close_connection = True
            return
        self._log(f"{self._status}" + (f" (fault {self._fault})" if self._fault else ""))

    def _log(self, outcome: str) -> None:
        log = self.server.log
        if log is None:
            return
        query = parse_qs(urlparse(self.path).query)
        page = query.get("page", ["1"])[-1]
        log(f"GET {urlparse(self.path).path} page {page[:10]}: {outcome}")

    def _answer(self) -> None:
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        state = self.server.state
        page = int(query.get("page", "1")) if query.get("page", "1").isdigit() else 0
        with state.lock:
            state.seen.append(
                {"path": url.path, "query": query, "headers": dict(self.headers), "at": time.time()}
            )
        if state.latency:
            time.sleep(state.latency)
        if url.path != "/search/repositories":
            return self._send(404, b'{"message":"Not Found"}')
        fault = state.next_fault(page)
        if fault is not None:
            return self._send_fault(fault, page)
        if page not in RECORDED_PAGES:
            return self._send(422, load_body(FAULT_BODIES["422"], self.server.data_dir))
        self._send(
            200,
            load_body(RECORDED_PAGES[page], self.server.data_dir),
            {
                "X-RateLimit-Limit": "30",
                "X-RateLimit-Remaining": "29",
                "X-RateLimit-Resource": "search",
            },
        )

    def _send_fault(self, fault: Fault, page: int) -> None:
        kind = fault.kind
        timed = kind in ("403", "429", "403-primary", "slow")
        self._fault = f"{kind}, {fault.wait:g}s" if timed else kind
        data_dir = self.server.data_dir
        if kind == "slow":
            time.sleep(fault.wait)
            return self._send(200, load_body(RECORDED_PAGES.get(page, RECORDED_PAGES[1]), data_dir))
        if kind in ("500", "502", "503"):
            return self._send(int(kind), b"GitHub is having trouble", content_type="text/plain")
        body = load_body(FAULT_BODIES[kind], data_dir)
        if kind in ("403", "429"):
            return self._send(int(kind), body, {"Retry-After": str(int(fault.wait))})
        if kind == "403-primary":
            reset = str(int(time.time() + fault.wait))
            headers = {
                "X-RateLimit-Limit": "60",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset,
            }
            return self._send(403, body, headers)
        if kind == "incomplete":
            return self._send(200, body)
        self._send(int(kind), body)

    def _send(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        self._status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class ReplayServer(ThreadingHTTPServer):
    """The replay server; ``url`` is what GITHUB_API_URL should be."""

    daemon_threads = True

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        data_dir: Path = DATA_DIR,
        log: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__((host, port), ReplayHandler)
        # One line per request ("GET /search/repositories page 3: 403 (fault 403, 1s)") for a
        # person watching the command; tests and the demo read ``state.seen`` and pass none.
        self.log = log
        self.state = ReplayState()
        self.data_dir = data_dir
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        # The str host we bound (typeshed's AF_INET address also allows bytes).
        return f"http://{host!s}:{port}"

    def start_in_thread(self) -> ReplayServer:
        self._thread = threading.Thread(
            target=self.serve_forever, daemon=True, name="replay-github"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def recorded_pages(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """The five recorded pages as parsed JSON, in page order (the golden report's input)."""
    return [json.loads(load_body(RECORDED_PAGES[p], data_dir)) for p in sorted(RECORDED_PAGES)]
