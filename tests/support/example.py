"""Another Django + Celery project, for the plugin to prove itself on (``example_project/``).

The shop in ``example_project/`` knows nothing of celery_uncovered but the plugin: its own app,
model, tasks, settings, a pytest.ini naming its app (``celery_live_app``) and a short conftest.
docs/testing.md ("Use it in your project") shows these very files, and a unit test keeps the page
equal to them. The root conftest keeps pytest from collecting them as this project's tests.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from .project import RUN_VARIABLES

EXAMPLE_PROJECT = Path(__file__).parent / "example_project"
# Loaded only if the plugin or a test dragged this project in: none may be, in the shop's run.
THIS_PROJECT = ("config", "celery_uncovered.celery", "celery_uncovered.toyex", "tests")
INDEPENDENCE_TEST = f"""
import sys


def test_nothing_of_the_project_the_plugin_ships_with_is_loaded():
    mine = {THIS_PROJECT!r}
    assert [n for n in sys.modules for m in mine if n == m or n.startswith(m + ".")] == []
"""


def copy_example(folder: Path) -> None:
    """Write the shop into ``folder`` (a pytester directory or any empty folder)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.sqlite3", ".pytest_cache")
    shutil.copytree(EXAMPLE_PROJECT, folder, dirs_exist_ok=True, ignore=ignore)


def run_variables(environ: dict[str, str]) -> list[str]:
    """This run's variables a new project must not inherit; the broker choice it must."""
    return [
        name
        for name in environ
        if RUN_VARIABLES.match(name) and not name.startswith("CELERY_LIVE_")
    ]


def runner_requirements(pyproject: Path) -> list[str]:
    """pytest and pytest-django as this project pins them: what a new project installs too."""
    with pyproject.open("rb") as file:
        group = tomllib.load(file)["dependency-groups"]["test"]
    return [r for r in group if isinstance(r, str) and re.match(r"pytest(-django)?[<>=]", r)]
