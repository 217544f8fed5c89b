"""Celery machinery the scenarios share: a person's send, countdowns, the result store check."""
