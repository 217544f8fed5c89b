"""Every route, any method, body and headers: the invariants a stranger's requests must keep."""

import uuid
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from celery_uncovered.toyex.errormail import mail
from celery_uncovered.toyex.hotrepos import tasks
from celery_uncovered.toyex.models import Report
from celery_uncovered.tricks import tasks as tricks_tasks
from tests.support.thoroughness import examples

PASSWORD = "hypothesis-Broker-pw-7c1"
TOKEN = "ghp_hypothesisTokenThatMustNeverShow01"
DONE, QUEUED = str(uuid.uuid4()), str(uuid.uuid4())
CSRF_COOKIE = "a" * 32  # well formed; the request carries no token to match it

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
# A charset is a parameter a stranger's client may send on any body: UTF-8 spelled several ways,
# other real codecs, and names no codec has (Django refuses all but "utf-8" for a form).
charsets = st.one_of(
    st.sampled_from(["utf-8", "UTF8", "utf_8", "utf-16", "latin-1", "ascii", "nope", ""]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=12),
)
form_types = st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data"])
content_types = st.one_of(
    form_types,
    st.builds(lambda kind, charset: f"{kind}; charset={charset}", form_types, charsets),
    st.sampled_from(["application/octet-stream", "application/json", "text/plain", ""]),
)
# Query strings: a few fields, or more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000).
queries = st.one_of(
    st.just(""),
    st.dictionaries(st.sampled_from(["page", "x", "period"]), field_values).map(
        lambda fields: "&".join(f"{k}={v}" for k, v in fields.items())
    ),
    st.integers(990, 1500).map(lambda n: "&".join(f"f{i}=1" for i in range(n))),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.sampled_from(["de", "ja", "xx", "en-US,en;q=0.5", "*", ""]),
        "HTTP_ACCEPT": st.sampled_from(["application/json", "text/html", "*/*", "x/y"]),
        "HTTP_X_REQUESTED_WITH": st.just("XMLHttpRequest"),
    },
)


def many_requests(share: float) -> settings:
    """Hypothesis's settings for a route property: no deadline (a request may hit the database).

    ``share`` of the profile's examples (fast: 30, thorough in CI: 300)."""
    return settings(
        max_examples=examples(share),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# What surrounds any request: extra headers, DEBUG on or off, a CSRF token or not, its cookie.
REQUEST_CONTEXT = {
    "extra": headers,
    "debug": st.booleans(),
    "csrf": st.booleans(),
    "cookie": st.booleans(),
}


def is_json_route(method: str, path: str, accept: str | None = None) -> bool:
    """JSON routes: every route under /reports/ and /scenario/ except the page (unless JSON is
    asked for), and except what a browser (Accept: text/html) asks for under /reports/ (a
    report's page, its 404)."""
    if path == "/reports/" and method in ("GET", "HEAD"):
        return accept == "application/json"
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
@many_requests(1)
@given(
    method=methods,
    path=paths,
    body=st.one_of(forms, raw_bodies),
    content_type=content_types,
    query=queries,
    **REQUEST_CONTEXT,
)
def test_no_request_breaks_a_route_leaks_a_secret_or_queues_when_refused(
    world, settings, method, path, body, content_type, query, extra, debug, csrf, cookie
):
    """No 500; JSON errors on JSON routes; a refusal queues and records nothing; no secrets.

    HEAD answers as GET does; every answer under /reports/ (one URL, a page or JSON) varies on
    Accept.
    """
    settings.DEBUG = debug
    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf)
    if cookie:  # a visitor who loaded a page first: the CSRF check then reads the form body
        client.cookies["csrftoken"] = CSRF_COOKIE
    sends, rows = world["sends"](), Report.objects.count() + world["reads"].objects.count()
    # Django's own request (the test client builds it, not celery_uncovered/wsgi.py) evaluates the
    # query while it reads a charset: that pair is proven through the WSGI application instead
    # (test_stranger_requests.py::test_a_charset_beside_too_many_query_fields_is_a_400_not_a_crash).
    assume(not ("charset=" in content_type and query.count("&") >= 999))
    if isinstance(body, dict):
        body = "&".join(f"{k}={v}" for k, v in body.items()).encode()
    target = f"{path}?{query}" if query else path
    answer = client.generic(method, target, body, content_type, **extra)

    # With DEBUG on, /report-error exists to fail: Django's debug page, which shows paths by design
    # but still no secret (the filter in celery_uncovered/web/errorreports.py).
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
    if method == "HEAD":
        assert answer.status_code == client.get(target, **extra).status_code, (path, content)
    if path.startswith("/reports/"):
        assert "Accept" in answer.get("Vary", ""), (method, path)
    server_paths = () if debug_page else (str(django_settings.BASE_DIR), str(settings.MEDIA_ROOT))
    for secret in (*server_paths, PASSWORD, TOKEN, django_settings.SECRET_KEY):
        assert secret not in content, (secret, method, path)


def form_request(client: Client, method: str, path: str, fields: dict, content_type: str, **extra):
    """A form body as a client sends it, under whatever Content-Type (and charset) it claims."""
    body = "&".join(f"{k}={v}" for k, v in fields.items()).encode()
    return client.generic(method, path, body, content_type, **extra)


@pytest.mark.django_db
@many_requests(0.5)
@given(
    path=st.sampled_from(["/reports/", "/scenario/"]),
    fields=forms,
    charset=charsets,
    kind=form_types,
    **REQUEST_CONTEXT,
)
def test_a_form_in_any_charset_is_read_as_utf_8_or_refused_with_a_400(
    world, settings, path, fields, charset, kind, extra, debug, csrf, cookie
):
    """The POST routes under any charset: UTF-8 (any spelling) is read; else a 400, nothing queued.

    The stranger's curl (a cookie, no token, charset=utf-16) crashed Django's error views.
    """
    settings.DEBUG = debug
    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf)
    if cookie:
        client.cookies["csrftoken"] = CSRF_COOKIE
    sends = world["sends"]()
    answer = form_request(client, "POST", path, fields, f"{kind}; charset={charset}", **extra)
    assert answer.status_code < 500, (answer.status_code, charset, answer.content[:200])
    # An empty body goes without a Content-Type (the test client's choice), so without a charset.
    if fields and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        assert answer.status_code == 400, (charset, answer.content[:200])
        assert "UTF-8" in answer.content.decode(errors="replace")
        assert world["sends"]() == sends


@pytest.mark.django_db
@many_requests(1 / 3)
@given(path=paths, query=queries, extra=headers, debug=st.booleans())
def test_head_answers_as_get_does(world, settings, path, query, extra, debug):
    """HEAD is GET without a body: the same status on every route (it was 400 on /reports/)."""
    assume(not (debug and path == "/report-error"))  # exists to raise, into the test client
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    target = f"{path}?{query}" if query else path
    head, get = client.head(target, **extra), client.get(target, **extra)
    assert head.status_code == get.status_code, (path, head.status_code, get.status_code)
    assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""
