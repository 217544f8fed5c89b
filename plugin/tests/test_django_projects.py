"""Works on the projects people have: ``django-admin startproject`` + Celery as Celery's docs show.

The project keeps Django's defaults — an SQLite database whose test database lives in memory —
and not one setting is changed for the plugin: the run gives its test database a file that the
worker process opens too.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

CELERY_MODULE = """
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

app = Celery("mysite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
"""
INIT = """
from .celery import app as celery_app

__all__ = ("celery_app",)
"""
TASKS = """
from celery import shared_task
from django.contrib.auth.models import User


@shared_task
def count_users():
    return User.objects.count()


@shared_task
def make_user(name):
    return User.objects.create(username=name).pk
"""
TESTS = """
from mysite.tasks import count_users, make_user


def test_the_worker_sees_the_user_the_test_saved(celery_live_proc_worker, django_user_model):
    django_user_model.objects.create(username="ada")
    assert celery_live_proc_worker.wait(count_users.delay()) == 1


def test_the_test_sees_the_user_the_worker_saved(celery_live_proc_worker, django_user_model):
    pk = celery_live_proc_worker.wait(make_user.delay("grace"))
    assert django_user_model.objects.get(pk=pk).username == "grace"


def test_an_in_process_worker_sees_it_too(celery_live_inproc_worker, django_user_model):
    django_user_model.objects.create(username="linus")
    assert celery_live_inproc_worker.wait(count_users.delay()) == 1
"""


@pytest.fixture
def stock_django(pytester: pytest.Pytester, write) -> pytest.Pytester:
    """``django-admin startproject mysite .``, then Celery's first-steps-with-Django files."""
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", "."],
        cwd=pytester.path, check=True,
    )  # fmt: skip
    write("mysite/celery.py", CELERY_MODULE)
    write("mysite/__init__.py", INIT)
    write("mysite/tasks.py", TASKS)
    pytester.makeini(
        "[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\npythonpath = .\n"
        "celery_live_app = mysite\ncelery_live_include = mysite.tasks\n"
    )
    return pytester


def test_a_stock_django_project_with_its_in_memory_test_database_runs_live(stock_django):
    settings = stock_django.path / "mysite" / "settings.py"
    assert "'NAME': BASE_DIR / 'db.sqlite3'" in settings.read_text().replace('"', "'")
    assert "TEST" not in settings.read_text()
    before = hashlib.sha256(settings.read_bytes()).hexdigest()
    stock_django.makepyfile(test_users=TESTS)
    result = stock_django.runpytest_subprocess("-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(passed=3)
    assert hashlib.sha256(settings.read_bytes()).hexdigest() == before, "settings were changed"
