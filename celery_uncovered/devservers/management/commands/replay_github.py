"""`manage.py replay_github`: serve recorded GitHub search responses on localhost."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from celery_uncovered.devservers.replay import FAULTS, ReplayServer


class Command(BaseCommand):
    help = "Serve recorded GitHub search pages; point GITHUB_API_URL at the URL it prints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
        parser.add_argument(
            "--fault",
            action="append",
            default=[],
            metavar="PAGE:KIND[:WAIT]",
            help=f"answer PAGE once with KIND, one of {', '.join(FAULTS)}",
        )

    def handle(
        self, *args: object, port: int, latency: float, fault: list[str], **options: object
    ) -> None:
        try:
            server = ReplayServer(port=port)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"
            ) from None
        server.state.latency = latency
        for spec in fault:
            page, _, rest = spec.partition(":")
            kind, _, wait = rest.partition(":")
            try:
                server.state.add_fault(int(page), kind, float(wait or 1))
            except ValueError as exc:
                raise CommandError(f"bad --fault {spec!r}: {exc}") from None
        self.stdout.write(f"replaying GitHub at {server.url} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
