"""`manage.py replay_github`: serve recorded GitHub search responses on localhost."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from celery_uncovered.devservers.arguments import non_negative_seconds, port_number
from celery_uncovered.devservers.replay import FAULTS, RECORDED_PAGES, ReplayServer, ReplayState


def add_fault_spec(state: ReplayState, spec: str) -> None:
    """``PAGE:KIND[:WAIT]``: ValueError for a page without a recording or a negative wait."""
    page_text, _, rest = spec.partition(":")
    kind, _, wait_text = rest.partition(":")
    if not page_text.isdigit() or int(page_text) not in RECORDED_PAGES:
        raise ValueError(f"the page must be 1 to {max(RECORDED_PAGES)}, got {page_text[:10]!r}")
    wait = float(wait_text or 1)
    if not wait >= 0:
        raise ValueError(f"the wait must be 0 seconds or more, got {wait_text[:10]!r}")
    state.add_fault(int(page_text), kind, wait)


class Command(BaseCommand):
    help = "Serve recorded GitHub search pages; start the worker with the GITHUB_API_URL it prints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=port_number, default=8765, help="1 to 65535")
        parser.add_argument(
            "--latency", type=non_negative_seconds, default=0.0, help="seconds added per request"
        )
        parser.add_argument(
            "--fault",
            action="append",
            default=[],
            metavar="PAGE:KIND[:WAIT]",
            help=(
                f"answer PAGE (1-5) once with KIND, one of {', '.join(FAULTS)}; WAIT (default 1 "
                "second) is the Retry-After or rate-limit reset of 403/429, and how long a slow "
                "page takes"
            ),
        )

    def say(self, line: str) -> None:
        """One line, flushed: a person (or a pipe) sees each request as it is answered."""
        self.stdout.write(line)
        self.stdout.flush()

    def handle(
        self, *args: object, port: int, latency: float, fault: list[str], **options: object
    ) -> None:
        try:
            server = ReplayServer(port=port, log=self.say)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"
            ) from None
        server.state.latency = latency
        for spec in fault:
            try:
                add_fault_spec(server.state, spec)
            except ValueError as exc:
                server.server_close()
                raise CommandError(f"bad --fault {spec!r}: {exc}") from None
        self.say(f"replaying GitHub at {server.url} (Ctrl-C to stop)")
        self.say(
            f"start the worker with GITHUB_API_URL={server.url} to use it, e.g. "
            f"GITHUB_API_URL={server.url} celery -A celery_uncovered worker -l INFO"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
