"""The eager tier: the task body runs inline, no broker, no worker."""

import pytest

from celery_uncovered import celery_app
from celery_uncovered.tricks.tasks import add


def test_the_app_takes_its_config_from_django_settings(settings):
    """CELERY_* settings reach the Celery app, JSON being the only accepted content."""
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.timezone == settings.TIME_ZONE


def test_add_runs_inline_in_eager_mode(celery_live_eager):
    """delay() in eager mode returns an already-finished result."""
    result = add.delay(2, 3)
    assert result.successful()
    assert result.get() == 5


def test_eager_fixture_restores_the_setting(celery_live_eager):
    """The eager fixture is on only inside the test that asks for it."""
    assert celery_app.conf.task_always_eager is True


def test_tasks_are_not_eager_by_default():
    """Without the fixture, nothing runs eagerly: a forgotten flag cannot fake a live test."""
    assert celery_app.conf.task_always_eager is False


@pytest.mark.parametrize("name", ["celery_uncovered.tricks.tasks.add"])
def test_project_tasks_are_registered_under_their_module_path(name):
    """Task names are stable, dotted module paths (beat and the log files rely on them)."""
    assert name in celery_app.tasks
