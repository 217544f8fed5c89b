"""Every route, any method, body and headers: the invariants a stranger's requests must keep."""

import uuid
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from celery_uncovered.toyex import mail, tasks
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks import tasks as tricks_tasks

PASSWORD = "hypothesis-Broker-pw-7c1"
TOKEN = "ghp_hypothesisTokenThatMustNeverShow01"
DONE, QUEUED = str(uuid.uuid4()), str(uuid.uuid4())

ids = st.one_of(
    st.sampled_from([DONE, QUEUED, "00000000-0000-0000-0000-000000000000"]),
    st.uuids().map(str),
    st.text(max_size=40),
)
paths = st.one_of(
    st.sampled_from(["/", "/reports/", "/scenario/", "/report-error", "/nowhere"]),
    ids.map(lambda i: f"/reports/{i}/"),
    ids.map(lambda i: f"/reports/{i}/csv"),
    ids.map(lambda i: f"/scenario/{i}/"),
)
methods = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
field_values = st.one_of(
    st.sampled_from(
        ["week", "day", "month", "today", "", "1900-01-01", "2026-11-24", "9999-01-01"]
    ),
    st.text(max_size=30),
)
forms = st.dictionaries(st.sampled_from(["period", "date", "locale_id", "x"]), field_values)
raw_bodies = st.binary(max_size=200)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.sampled_from(["de", "ja", "xx", "en-US,en;q=0.5", "*", ""]),
        "HTTP_ACCEPT": st.sampled_from(["application/json", "text/html", "*/*", "x/y"]),
        "HTTP_X_REQUESTED_WITH": st.just("XMLHttpRequest"),
    },
)


def is_json_route(method: str, path: str, accept: str | None = None) -> bool:
    """JSON routes: every route under /reports/ and /scenario/ except the page, and except what a
    browser (Accept: text/html) asks for under /reports/ (a report's page, its 404)."""
    if path == "/reports/" and method in ("GET", "HEAD"):
        return False
    if path.startswith("/reports/") and accept == "text/html":
        return False
    return path.startswith(("/reports/", "/scenario/"))


@pytest.fixture
def world(settings, tmp_path):
    """Secrets to look for, a done report with its file, and every send recorded, not made."""
    from celery_uncovered.tricks.models import ScenarioRead

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GITHUB_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = f"amqp://guest:{PASSWORD}@127.0.0.1:5672//"
    settings.REPORT_ERROR_VIEW = False  # its only job is a 500; production has it off
    Report.objects.create(task_id=QUEUED, period="week", since="2026-11-17")
    done = Report.objects.create(task_id=DONE, period="week", since="2026-11-17", status="done")
    done.csv_path.parent.mkdir(parents=True)
    done.csv_path.write_text("Go,a/b\n")
    pending = mock.Mock(state="PENDING", failed=lambda: False, successful=lambda: False)
    with (
        mock.patch.object(tasks.produce_hot_repo_report, "apply_async") as reports,
        mock.patch.object(tricks_tasks.read_scenario_file_task, "apply_async") as reads,
        mock.patch.object(
            tricks_tasks.read_scenario_file_task, "AsyncResult", return_value=pending
        ),
        mock.patch.object(mail.report_error_task, "apply_async"),
    ):
        yield {"sends": lambda: reports.call_count + reads.call_count, "reads": ScenarioRead}


@pytest.mark.django_db
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=methods,
    path=paths,
    body=st.one_of(forms, raw_bodies),
    extra=headers,
    debug=st.booleans(),
    csrf=st.booleans(),
)
def test_no_request_breaks_a_route_leaks_a_secret_or_queues_when_refused(
    world, settings, method, path, body, extra, debug, csrf
):
    """No 500; JSON errors on JSON routes; a refusal queues and records nothing; no secrets."""
    settings.DEBUG = debug
    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf)
    sends, rows = world["sends"](), Report.objects.count() + world["reads"].objects.count()
    if isinstance(body, dict):
        answer = client.generic(
            method,
            path,
            "&".join(f"{k}={v}" for k, v in body.items()).encode(),
            "application/x-www-form-urlencoded",
            **extra,
        )
    else:
        answer = client.generic(method, path, body, "application/octet-stream", **extra)

    # With DEBUG on, /report-error exists to fail: Django's debug page, which shows paths by design
    # but still no secret (the filter in celery_uncovered/errorreports.py).
    debug_page = debug and path == "/report-error"
    assert answer.status_code < 500 or debug_page, (answer.status_code, method, path)
    content = (b"".join(answer.streaming_content) if answer.streaming else answer.content).decode(
        errors="replace"
    )
    if answer.status_code >= 400:
        assert world["sends"]() == sends, "a refused request queued a task"
        assert Report.objects.count() + world["reads"].objects.count() == rows
        if is_json_route(method, path, extra.get("HTTP_ACCEPT")) and method != "HEAD":
            assert answer["Content-Type"] == "application/json", (method, path, content[:200])
            assert answer.json()["error"]
    server_paths = () if debug_page else (str(django_settings.BASE_DIR), str(settings.MEDIA_ROOT))
    for secret in (*server_paths, PASSWORD, TOKEN, django_settings.SECRET_KEY):
        assert secret not in content, (secret, method, path)
