"""`python -m celery_uncovered <command>`: manage.py for an installed wheel, no checkout needed."""

import os
import sys


def main() -> None:
    """Run a management command, on local settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
