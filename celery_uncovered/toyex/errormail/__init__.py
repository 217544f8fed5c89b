"""Scenario 2: a 500's admin e-mail, queued for a worker instead of sent inside the request."""
