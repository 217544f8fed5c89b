"""Scenario 4 live: the caller's locale reaches a real worker, on every way of calling."""

import pytest
from celery import chain, chord, group
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from pytest_celery_live.queues import use_queue

from celery_uncovered import celery_app
from celery_uncovered.toyex.hotrepos.tasks import produce_hot_repo_report
from celery_uncovered.tricks.scopes import locale_id_for
from celery_uncovered.tricks.tasks import read_scenario_file_task
from tests.support.livetasks import collect, scope_echo, scope_parent
from tests.support.scope_cases import (
    active_languages,
    call_args,
    call_kwargs,
    expected_echo,
    explicit_locale,
)

pytestmark = [pytest.mark.live, pytest.mark.subprocess]


def test_every_way_of_calling_carries_the_locale_to_the_worker(celery_live_proc_worker):
    """delay, apply_async(kwargs=None), .s(), group, chain and chord all arrive with locale ja."""
    with translation.override("ja"):
        sent = [
            scope_echo.delay(1),
            scope_echo.apply_async((1,), kwargs=None),
            scope_echo.s(1).delay(),
            group(scope_echo.s(i) for i in range(3)).apply_async(),
            chain(scope_echo.si(1), scope_echo.si(2)).apply_async(),
            chord([scope_echo.s(1), scope_echo.s(2)], collect.s()).apply_async(),
        ]
    echoes = []
    for result in sent:
        value = celery_live_proc_worker.wait(result, timeout=30)
        echoes.extend(value if isinstance(value, list) else [value])
    assert len(echoes) == 9
    assert {(e["kwargs"]["locale_id"], e["active"]) for e in echoes} == {("ja", "ja")}


def test_a_task_sent_by_a_task_inherits_its_locale(celery_live_proc_worker):
    """In the worker the task's locale is active, so the child it sends carries it too."""
    with translation.override("de"):
        child_id = celery_live_proc_worker.wait(scope_parent.delay(), timeout=20)
    echo = celery_live_proc_worker.wait(scope_echo.AsyncResult(child_id), timeout=20)
    assert echo["kwargs"] == {"locale_id": "de"}
    assert echo["active"] == "de"


def test_unknown_locale_fails_clearly_on_the_worker(celery_live_proc_worker):
    """Sent by name (past the caller's check), a crafted id is still refused by the worker."""
    with pytest.raises(ValueError, match="invalid locale id"):
        read_scenario_file_task.delay(locale_id="../../../etc/passwd")
    sent = celery_app.send_task(
        read_scenario_file_task.name, kwargs={"locale_id": "../../../etc/passwd"}
    )
    with pytest.raises(ValueError, match="invalid locale id"):
        celery_live_proc_worker.wait(sent, timeout=20)


def test_a_german_request_gets_the_german_file_from_a_real_worker(celery_live_proc_worker, client):
    """Accept-Language: de on the view → the worker reads sc_de.json → the status URL shows it."""
    response = client.post("/scenario/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 202
    body = response.json()
    celery_live_proc_worker.wait(read_scenario_file_task.AsyncResult(body["task_id"]), timeout=20)
    status = client.get(body["status_url"]).json()
    assert status["state"] == "done"
    assert status["scenario"]["greeting"] == "Hallo"


def test_the_scenario_route_does_not_answer_for_a_reports_id(
    celery_live_proc_worker, github, client
):
    """A finished report's id (its result is a server path) is a 404 on /scenario/<id>/."""
    report = client.post("/reports/", {"period": "week", "date": "2026-11-24"}).json()
    path = celery_live_proc_worker.wait(
        produce_hot_repo_report.AsyncResult(report["task_id"]), timeout=60
    )
    answer = client.get(f"/scenario/{report['task_id']}/")
    assert answer.status_code == 404
    assert path not in answer.content.decode()
    assert str(django_settings.MEDIA_ROOT) not in answer.content.decode()


@pytest.fixture(scope="module")
def session_worker(celery_live_spawn_worker, django_db_blocker):
    """The prefork worker without per-test fixtures: Hypothesis runs many cases in one test."""
    worker = celery_live_spawn_worker("prefork", 2)
    with django_db_blocker.unblock(), use_queue(celery_app, worker.queue):
        yield worker


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=call_args, kwargs=call_kwargs, explicit=explicit_locale, language=active_languages)
def test_property_injection_holds_on_a_real_worker(
    session_worker, args, kwargs, explicit, language
):
    """The eager property, a bounded number of cases, through the broker and a worker process."""
    call_kw = {**kwargs, "locale_id": explicit} if explicit else kwargs
    with translation.override(language):
        result = scope_echo.apply_async(args, call_kw)
    echo = result.get(timeout=20)
    assert echo == expected_echo(args, kwargs, explicit, locale_id_for(language))
