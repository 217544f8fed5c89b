"""`python -m celery_uncovered <command>`: manage.py for an installed wheel, no checkout needed."""

import os
import sys

INTERRUPTED = 130  # the shell's status for Ctrl-C (128 + SIGINT)


def main() -> None:
    """Run a management command, on local settings unless told otherwise.

    A misconfigured setting (a missing DJANGO_SECRET_KEY, an unknown TIME_ZONE) is one line
    naming the variable, and Ctrl-C while Django starts is one line too: not a traceback.
    """
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line

        try:
            execute_from_command_line(sys.argv)
        except ImproperlyConfigured as exc:
            sys.exit(f"ImproperlyConfigured: {exc}")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    main()
