"""A web process whose database does not answer: a one-line 503 naming the database, no traceback.

``runserver --skip-checks`` died with a 40-line traceback (its migration check opened the
database); under production settings every route answered 500 with a traceback per request
(issue 24, 5). The database here is a port nothing listens on.
"""

import pytest
import requests
from pytest_celery_live.brokers import free_port

pytestmark = [pytest.mark.live, pytest.mark.faults]

KEY = "database-down-test-key-" + "x" * 40
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("settings_module", ["config.settings.test", "config.settings.production"])
def test_with_the_database_down_pages_answer_503_naming_it(runserver, settings_module):
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/celery_uncovered"
    # Production requires its hosts and redirects plain HTTP to HTTPS (issue 25); this server
    # is spoken to over plain HTTP, as on a deployment without TLS.
    server = runserver(
        settings_module,
        DATABASE_URL=nowhere,
        DJANGO_SECRET_KEY=KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
    )

    page = requests.get(f"{server.url}/reports/", headers={"Accept": BROWSER}, timeout=30)
    assert page.status_code == 503
    assert "the database is unavailable" in page.text
    assert page.headers["Retry-After"]
    answer = requests.get(
        f"{server.url}/reports/", headers={"Accept": "application/json"}, timeout=30
    )
    assert answer.status_code == 503
    assert answer.json() == {"error": "the database is unavailable: try again in a moment"}

    log = server.log_text()
    assert "Traceback" not in log, log[-3000:]
    assert "cannot open the database (" in log  # said once at start, with the reason
    assert log.count("the database is unavailable: GET /reports/") == 2
