"""The fast tier starts no program: a test that needs one belongs in tests/programs/.

A bare ``pytest`` runs this tier while people edit, so it must stay fast (docs/testing.md,
"Deadlines and tiers by cost"); one ``manage.py`` child costs more than a hundred tests here.
"""

import subprocess

import pytest


@pytest.fixture(autouse=True)
def no_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any subprocess a unit test starts fails at once, naming the tier it should move to."""

    def refuse(self: subprocess.Popen, args: object, *rest: object, **kwargs: object) -> None:
        raise AssertionError(
            f"the unit tier starts no program ({args!r}): move this test to tests/programs/"
        )

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
