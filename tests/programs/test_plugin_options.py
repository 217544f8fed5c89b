"""The plugin's choices as a user types them: a typo is one usage-error line, not a traceback."""

import pytest


@pytest.mark.parametrize(
    ("how", "value"), [("env", "rabbitmg"), ("option", "reddis"), ("ini", "rabitmq")]
)
def test_a_typo_in_the_broker_name_is_a_usage_error_in_one_line(pytester, monkeypatch, how, value):
    monkeypatch.delenv("CELERY_LIVE_BROKER", raising=False)
    monkeypatch.delenv("CELERY_LIVE_BACKEND", raising=False)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    args = ["-p", "no:django"]
    if how == "env":
        monkeypatch.setenv("CELERY_LIVE_BROKER", value)
    elif how == "option":
        args.append(f"--celery-live-broker={value}")
    else:
        pytester.makeini(f"[pytest]\ncelery_live_broker = {value}\n")
    result = pytester.runpytest_subprocess(*args, timeout=120)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"celery_live: unknown choice '{value}'" in result.stderr.str()
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
