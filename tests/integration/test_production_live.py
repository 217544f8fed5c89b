"""The README's production way, live: gunicorn and a worker on production settings, PostgreSQL.

The web is the Procfile's command (gunicorn, config.settings.production) and so is the worker
(`celery worker`, the same settings), both started as programs with the environment of
deploy/production.env.example, pointed at this run's services: the broker (RabbitMQ in the
rabbitmq-django-db-postgres pair), the PostgreSQL test database and the GitHub replay server.
Requests arrive as a TLS-terminating proxy forwards them: ``X-Forwarded-Proto: https`` and a
browser's ``https://`` Origin. Before issue 25 every such POST was a 403 blaming the token.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from pytest_celery_live.brokers import free_port, port_open
from pytest_celery_live.waiting import wait_until

from tests.support.project import ROOT, database_url_for_worker, new_user_env

pytestmark = [pytest.mark.live, pytest.mark.database("postgresql")]

HOST = "app.example.com"
PROXIED = {"Host": HOST, "X-Forwarded-Proto": "https"}
ORIGIN = f"https://{HOST}"


def production_env(tmp_path: Path, app, queue: str, github_url: str) -> dict[str, str]:
    """deploy/production.env.example's variables, with this run's services in them."""
    from tests.integration.test_production_settings import documented_env

    return new_user_env(
        **{
            **documented_env(),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url_for_worker(),
            "CELERY_BROKER_URL": app.conf.broker_url,
            "CELERY_RESULT_BACKEND": str(app.conf.result_backend),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "GITHUB_API_URL": github_url,
            "VAR_DIR": str(tmp_path / "var"),
            "CLIENT_PROXY_HOPS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )


class Program:
    """A program of the Procfile, its output in a file; stopped by its own pid."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=self.handle, stderr=subprocess.STDOUT
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.handle.close()


@pytest.fixture
def production(tmp_path, celery_live_db, celery_live_app, github):
    """gunicorn and a celery worker on config.settings.production; the web's base URL."""
    queue = f"cu-production-{os.urandom(4).hex()}"
    env = production_env(tmp_path, celery_live_app, queue, github.url)
    port = free_port()
    bin_dir = Path(sys.executable).parent
    web = Program(
        [str(bin_dir / "gunicorn"), "celery_uncovered.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--access-logfile", "-"],
        env, tmp_path / "gunicorn.log",
    )  # fmt: skip
    worker = Program(
        [sys.executable, "-m", "celery", "-A", "celery_uncovered", "worker", "--loglevel",
         "INFO", "--pool", "threads", "--concurrency", "4", "--without-heartbeat",
         "--without-gossip", "--without-mingle"],
        env, tmp_path / "worker.log",
    )  # fmt: skip
    try:
        wait_until(
            lambda: port_open(port) or web.process.poll() is not None, 60,
            "gunicorn listening", context=web.text,
        )  # fmt: skip
        assert web.process.poll() is None, web.text()
        wait_until(
            lambda: "ready." in worker.text() or worker.process.poll() is not None, 90,
            "the production worker ready", context=worker.text,
        )  # fmt: skip
        assert worker.process.poll() is None, worker.text()
        yield f"http://127.0.0.1:{port}", web, worker
    finally:
        web.stop()
        worker.stop()
        with celery_live_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def test_behind_a_tls_proxy_the_page_loads_the_post_is_accepted_and_the_csv_downloads(production):
    base, web, worker = production
    page = requests.get(f"{base}/reports/", headers=PROXIED, timeout=30)
    assert page.status_code == 200, page.text[:500]
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie
    token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    post = requests.post(
        f"{base}/reports/",
        data={"period": "week", "csrfmiddlewaretoken": form_token},
        headers={**PROXIED, "Origin": ORIGIN, "Cookie": f"csrftoken={token}"},
        timeout=30,
    )
    assert post.status_code == 202, post.text[:500]
    status_url = post.json()["status_url"]

    def finished() -> dict | None:
        status = requests.get(f"{base}{status_url}", headers=PROXIED, timeout=30).json()
        return status if status["state"] in ("done", "failed") else None

    status = wait_until(finished, 120, "the report done", context=lambda: worker.text()[-3000:])
    assert status["state"] == "done", status
    download = requests.get(f"{base}{status['download_url']}", headers=PROXIED, timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in download.headers["Cache-Control"]
    assert len(download.text.splitlines()) == status["languages"]
    assert "Traceback" not in web.text(), web.text()[-3000:]


def test_a_foreign_origin_is_refused_by_name_and_logged_and_plain_http_goes_to_https(production):
    base, web, _worker = production
    page = requests.get(f"{base}/reports/", headers=PROXIED, timeout=30)
    token = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
    post = requests.post(
        f"{base}/reports/",
        data={"period": "week"},
        headers={**PROXIED, "Origin": "https://evil.example", "X-CSRFToken": token,
                 "Cookie": f"csrftoken={token}"},
        timeout=30,
    )  # fmt: skip
    assert post.status_code == 403
    assert "Origin 'https://evil.example'" in post.json()["error"]
    wait_until(lambda: "Origin checking failed" in web.text(), 10, "the refusal in the log")
    # Plain HTTP, no proxy header: sent to HTTPS (SECURE_SSL_REDIRECT), not served.
    answer = requests.get(
        f"{base}/reports/", headers={"Host": HOST}, allow_redirects=False, timeout=30
    )
    assert answer.status_code == 301
    assert answer.headers["Location"] == f"https://{HOST}/reports/"
