"""The shop's live tests: the celery_live plugin, installed with its package, does the work."""

import pytest


@pytest.fixture(scope="session")
def celery_live_worker_env():
    """What every worker process gets in its environment, beyond the settings the test uses."""
    return {"SHOP_CURRENCY": "EUR"}
