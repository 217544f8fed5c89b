#!/usr/bin/env python
"""Django's command-line utility (the same as `python -m celery_uncovered`)."""

from celery_uncovered.__main__ import main

if __name__ == "__main__":
    main()
