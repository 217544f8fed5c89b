"""The production settings under the README's environment (deploy/production.env.example)."""

import subprocess
import sys
from pathlib import Path

from tests.support.project import ROOT, new_user_env

ENV_FILE = ROOT / "deploy" / "production.env.example"


def documented_env() -> dict[str, str]:
    """The variables the example file sets, as a shell would read them."""
    pairs = (line.split("=", 1) for line in ENV_FILE.read_text().splitlines())
    return {k: v for k, v in (p for p in pairs if len(p) == 2) if not k.startswith("#")}


def manage(tmp_path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env=new_user_env(**{**documented_env(), "VAR_DIR": str(tmp_path), **env}),
    )  # fmt: skip


def test_check_deploy_is_clean_under_the_documented_environment(tmp_path):
    """Not one warning at --fail-level WARNING: the README's environment is complete."""
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_without_the_documented_security_settings_check_deploy_says_so(tmp_path):
    """The check is a real one: the same environment, HSTS off and cookies insecure, warns."""
    done = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECURE_HSTS_SECONDS="0", DJANGO_SESSION_COOKIE_SECURE="false",
    )  # fmt: skip
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout
    assert "security.W012" in done.stderr + done.stdout


def test_missing_allowed_hosts_is_one_line_naming_it(tmp_path):
    done = manage(tmp_path, "check", DJANGO_ALLOWED_HOSTS="")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS is not set: name the host(s) this site "
        "answers for, e.g. app.example.com"
    ]


def test_gunicorn_without_a_settings_module_is_production_and_says_what_is_missing(tmp_path):
    """The README's web command, DJANGO_SETTINGS_MODULE forgotten: not the developer's settings
    (DEBUG on) but production's, which stops at once naming DJANGO_SECRET_KEY; no traceback."""
    from pytest_celery_live.brokers import free_port

    gunicorn = Path(sys.executable).parent / "gunicorn"
    done = subprocess.run(
        [str(gunicorn), "celery_uncovered.wsgi", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=new_user_env(VAR_DIR=str(tmp_path)),
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode != 0, said
    assert "Traceback" not in said, said[-3000:]
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in said, said[-3000:]
