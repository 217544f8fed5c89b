"""Scenario 4 in the eager tier: injection on every way of calling, properties, bad ids."""

import pytest
from celery import chain, chord, group
from celery.signals import task_postrun
from django.utils import translation
from hypothesis import given, settings

from celery_uncovered import celery_app
from celery_uncovered.tricks.scopes import locale_id_for, read_scenario_file
from celery_uncovered.tricks.tasks import read_scenario_file_task
from tests.support.livetasks import collect, scope_echo
from tests.support.scope_cases import (
    active_languages,
    call_args,
    call_kwargs,
    expected_echo,
    explicit_locale,
)
from tests.support.thoroughness import examples

CALLS = {
    "delay": lambda: scope_echo.delay(1),
    "apply_async": lambda: scope_echo.apply_async((1,)),
    "apply_async kwargs=None": lambda: scope_echo.apply_async((1,), kwargs=None),
    "s()": lambda: scope_echo.s(1).apply_async(),
    "si()": lambda: scope_echo.si(1).delay(),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_the_callers_language_is_injected_however_the_task_is_sent(call, celery_live_eager):
    """delay, apply_async (kwargs=None too), .s(), .si(): each carries the active locale."""
    with translation.override("fr"):
        echo = call().get()
    assert echo == {"args": [1], "kwargs": {"locale_id": "fr"}, "active": "fr"}


def test_group_chain_and_chord_members_carry_the_locale(celery_live_eager):
    """Canvas: every member of a group, a chain and a chord's header is injected."""
    with translation.override("ja"):
        grouped = group(scope_echo.s(i) for i in range(3)).apply_async().get()
        chained = chain(scope_echo.si(1), scope_echo.si(2)).apply_async().get()
        chorded = chord([scope_echo.s(1), scope_echo.s(2)], collect.s()).apply_async().get()
    assert {e["kwargs"]["locale_id"] for e in [*grouped, chained, *chorded]} == {"ja"}


def test_an_explicit_locale_is_never_overwritten(celery_live_eager):
    """The caller's explicit locale_id wins over the active language."""
    with translation.override("de"):
        assert scope_echo.delay(locale_id="ja").get()["kwargs"] == {"locale_id": "ja"}
        assert scope_echo.s(locale_id="fr").delay().get()["active"] == "fr"


@pytest.mark.parametrize(
    ("language", "locale"), [("de", "de"), ("de-at", "de"), ("pt-br", "en"), (None, "en")]
)
def test_a_language_maps_to_a_locale_id(language, locale):
    """Exact match, else the base language, else the default."""
    assert locale_id_for(language) == locale


@pytest.mark.parametrize(
    "bad",
    [
        "xx",
        "../../etc/passwd",
        "en/../de",
        "/etc/passwd",
        "EN",
        "",
        None,
        7,
        "en\x00",
        "sc_en.json",
    ],
)
def test_unknown_or_crafted_locale_ids_are_clear_errors(bad, celery_live_eager):
    """No id outside the known locales reaches the file system."""
    with pytest.raises(ValueError, match=r"(unknown|invalid) locale"):
        read_scenario_file(bad)
    with pytest.raises(ValueError, match=r"(unknown|invalid) locale"):
        read_scenario_file_task.delay(locale_id=bad)


def test_each_locale_has_its_own_scenario_file():
    """At least three locales, one not in Latin script."""
    titles = {loc: read_scenario_file(loc)["title"] for loc in ("en", "de", "fr", "ja")}
    assert len(set(titles.values())) == 4
    assert titles["ja"] == "今週の人気リポジトリ"


@settings(max_examples=examples(2 / 3), deadline=None)  # CI: 200
@given(args=call_args, kwargs=call_kwargs, explicit=explicit_locale, language=active_languages)
def test_property_injection_preserves_everything_else(args, kwargs, explicit, language):
    """Any JSON arguments, any language: explicit wins, missing injected, rest unchanged."""
    conf = celery_app.conf
    conf.task_always_eager = conf.task_eager_propagates = True
    try:
        call_kw = {**kwargs, "locale_id": explicit} if explicit else kwargs
        with translation.override(language):
            echo = scope_echo.apply_async(args, call_kw).get()
    finally:
        conf.task_always_eager = conf.task_eager_propagates = False
    assert echo == expected_echo(args, kwargs, explicit, locale_id_for(language))


def test_the_view_queues_the_read_in_the_requests_language(client, celery_live_eager, db):
    """Accept-Language: de → the task runs with locale_id=de and reads the German file."""
    ran = []

    def record(sender=None, kwargs=None, retval=None, **extra):
        ran.append((sender.name, kwargs, retval))

    task_postrun.connect(record, weak=False)
    try:
        response = client.post("/scenario/", HTTP_ACCEPT_LANGUAGE="de")
    finally:
        task_postrun.disconnect(record)
    assert response.status_code == 202
    assert response.json()["status_url"] == f"/scenario/{response.json()['task_id']}/"
    [(name, kwargs, retval)] = ran
    assert name == read_scenario_file_task.name
    assert kwargs == {"locale_id": "de"}
    assert retval["greeting"] == "Hallo"
