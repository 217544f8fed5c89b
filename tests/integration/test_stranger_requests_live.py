"""The stranger's requests against the real development server, as curl sent them.

`manage.py runserver` with the local settings (DEBUG on) and the production ones: the charset
crash was in Django's error handling, so only the real server and its log show it fixed.
"""

import pytest
import requests

from celery_uncovered.toyex.models import Report

pytestmark = pytest.mark.live

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("settings_module", ["config.settings.local", "config.settings.production"])
def test_a_utf_16_form_with_a_cookie_and_no_token_is_a_json_400_and_no_traceback(
    runserver, settings_module
):
    """`curl -c cj /reports/`, then `curl -b cj -H 'Content-Type: ...; charset=utf-16' -d x`."""
    # Production requires its hosts and redirects plain HTTP to HTTPS (issue 25): the stranger's
    # curl talks plain HTTP to the server itself, as on a deployment without TLS.
    server = runserver(
        settings_module,
        DJANGO_SECRET_KEY="stranger-test-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    session = requests.Session()
    assert session.get(f"{server.url}/reports/", timeout=30).status_code == 200
    assert "csrftoken" in session.cookies
    for path in ("/reports/", "/scenario/"):
        answer = session.post(
            server.url + path,
            data=b"x",
            headers={"Content-Type": f"{FORM}; charset=utf-16"},
            timeout=30,
        )
        assert answer.status_code == 400, (path, answer.text[:300])
        assert answer.headers["Content-Type"] == "application/json"
        assert "UTF-8" in answer.json()["error"]
    flood = "&".join(f"f{n}=1" for n in range(1500))
    answer = session.get(
        f"{server.url}/reports/?{flood}", headers={"Accept": "application/json"}, timeout=30
    )
    assert (answer.status_code, answer.headers["Content-Type"]) == (400, "application/json")
    head = session.head(f"{server.url}/reports/", timeout=30)
    assert head.status_code == 200
    log = server.log_text()
    # No 500 anywhere; django.security's records of the refused requests carry their tracebacks.
    assert '" 500 ' not in log, log[-3000:]
    assert "Internal Server Error" not in log, log[-3000:]
    assert "raised unexpected" not in log, log[-3000:]
    assert not Report.objects.exists()
