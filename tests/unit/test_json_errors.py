"""JSON routes answer every error with {"error": ...} JSON, with DEBUG on or off."""

import contextlib
import logging
import uuid
from unittest import mock

import pytest
from django.test import Client

from celery_uncovered.toyex.errormail import mail
from celery_uncovered.toyex.hotrepos import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    """Both ways a site runs: DEBUG shows Django's HTML pages unless something answers JSON."""
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def no_mail():
    """Errors logged at ERROR queue an admin e-mail; recorded here instead of sent."""
    with mock.patch.object(mail.report_error_task, "apply_async") as apply_async:
        yield apply_async


def assert_json_error(answer, status: int) -> None:
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/json"
    assert isinstance(answer.json()["error"], str)
    assert answer.json()["error"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", f"/reports/{uuid.uuid4()}/", 404),
        ("get", "/reports/not-a-uuid/", 404),
        ("get", f"/scenario/{uuid.uuid4()}/", 404),
        ("post", f"/reports/{uuid.uuid4()}/", 405),
        ("put", "/reports/", 405),
        ("delete", "/scenario/", 405),
        ("post", "/reports/", 400),
    ],
)
def test_errors_on_json_routes_are_json(client, debug, method, path, status):
    """404, 405 and a bad request answer JSON with an error message, not Django's HTML."""
    assert_json_error(getattr(client, method)(path), status)


def test_an_oversized_post_is_a_json_400(debug, settings, no_mail):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE: 400 JSON, before any field is read."""
    body = {"period": "week", "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    with mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as queued:
        answer = Client(raise_request_exception=False).post("/reports/", body)
    assert_json_error(answer, 400)
    queued.assert_not_called()


def test_a_csrf_refusal_is_json(debug):
    """403 without the token, as JSON."""
    assert_json_error(Client(enforce_csrf_checks=True).post("/reports/", {"period": "week"}), 403)


def test_a_crash_in_a_json_view_is_a_json_500_and_still_mailed(debug, no_mail):
    """An exception in a JSON view: 500 JSON (no traceback, no debug page); logged as before."""
    with mock.patch(
        "celery_uncovered.toyex.hotrepos.views.get_object_or_404",
        side_effect=RuntimeError("boom /srv"),
    ):
        answer = Client(raise_request_exception=False).get(f"/reports/{uuid.uuid4()}/")
    assert_json_error(answer, 500)
    assert "/srv" not in answer.content.decode()


@pytest.mark.parametrize(("crash", "status"), [(True, 500), (False, 404)])
def test_an_error_on_a_json_route_is_logged_once_so_mailed_once(no_mail, caplog, crash, status):
    """The JSON answer keeps Django's "already logged" mark: one record, one e-mail (was two)."""
    caplog.set_level(logging.WARNING, logger="django.request")  # a 404 is a warning
    boom = mock.patch(
        "celery_uncovered.toyex.hotrepos.views.get_object_or_404", side_effect=RuntimeError
    )
    with boom if crash else contextlib.nullcontext():
        answer = Client(raise_request_exception=False).get(f"/reports/{uuid.uuid4()}/")
    assert_json_error(answer, status)
    assert len([r for r in caplog.records if r.name == "django.request"]) == 1
    assert no_mail.call_count == (1 if crash else 0)


def test_the_page_and_the_download_stay_what_they_are(client, debug):
    """The report page is HTML; only JSON routes change."""
    assert client.get("/reports/")["Content-Type"].startswith("text/html")
