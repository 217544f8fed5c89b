"""`manage.py mailcatcher [--port 1025] [--save-dir DIR]`: watch the admin e-mails arrive."""

import time
from email.message import EmailMessage
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from celery_uncovered.devservers.arguments import port_number
from celery_uncovered.devservers.mailcatcher import Mailbox, MailCatcher, check_writable_folder


class Command(BaseCommand):
    help = "Run an SMTP server on localhost that prints every message it receives."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=port_number, default=1025, help="1 to 65535")
        parser.add_argument(
            "--save-dir", type=Path, default=None, help="also store .eml files here"
        )

    def handle(self, *args: object, port: int, save_dir: Path | None, **options: object) -> None:
        def show(message: EmailMessage) -> None:
            self.stdout.write(f"--- to {message['To']}: {message['Subject']}")
            body = message.get_body(("plain",))
            self.stdout.write((body.get_content() if body else "")[:2000])

        if save_dir:
            try:
                check_writable_folder(save_dir)
            except OSError as exc:
                raise CommandError(
                    f"cannot save mail in {save_dir}: {exc.strerror or exc}"
                ) from None
        try:
            catcher = MailCatcher(port=port, mailbox=Mailbox(save_dir, on_message=show)).start()
        except OSError as exc:
            raise CommandError(
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"
            ) from None
        self.stdout.write(f"SMTP mail catcher on 127.0.0.1:{port} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            catcher.stop()
