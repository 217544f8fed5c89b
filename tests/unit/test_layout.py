"""The folder list is the architecture: which room may import which (docs/layout.md)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "celery_uncovered"

# Who may import whom. The tutorial's levels run one way (advex > tricks > toyex): no room imports
# a level above it, and toyex, the first level, imports neither (its tasks log to Celery's task
# logger; tricks/logs.py gives that logger a file). web and messaging are the plumbing below them
# all; "project" is the package's own wiring (the Celery app, wsgi, __main__), above all.
MAY_IMPORT: dict[str, set[str]] = {
    "web": {"web"},
    "messaging": {"messaging"},
    "transports": {"transports"},
    "devservers": {"devservers", "web", "project"},
    "tricks": {"tricks", "toyex", "messaging", "web", "project"},
    "toyex": {"toyex", "messaging", "web", "devservers", "project"},
    "advex": {"advex", "toyex", "tricks", "messaging", "web", "project"},
    "project": set(),  # checked by no rule: it wires the rooms together
}
# Names Django and Celery give a module in every app (and each command its own file).
CONVENTIONAL = {"__init__", "__main__", "apps", "models", "urls", "views", "tasks", "admin"}


def module_name(path: Path) -> str:
    """``celery_uncovered/toyex/models.py`` -> ``celery_uncovered.toyex.models``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    """The room (first package below celery_uncovered) a module lives in."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in MAY_IMPORT:
        return parts[1]
    return "project"


def imported_modules(path: Path) -> set[str]:
    """Every celery_uncovered module ``path`` imports, at the top, in a function or for typing."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # "from pkg import mod" imports pkg.mod when mod is a module; either names the room.
            found.update(f"{stem}.{alias.name}" for alias in node.names)
            found.add(stem)
    return {name for name in found if name.split(".")[0] == "celery_uncovered"}


def source_files() -> list[Path]:
    """The package's modules, migrations aside (Django writes them)."""
    return sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("path", source_files(), ids=lambda path: module_name(path))
def test_a_module_imports_only_the_rooms_its_room_may_use(path: Path) -> None:
    """advex may use tricks and toyex, tricks toyex, never the reverse; web and messaging no app."""
    mine = room(module_name(path))
    if mine == "project":
        return
    wrong = sorted(name for name in imported_modules(path) if room(name) not in MAY_IMPORT[mine])
    assert wrong == [], f"{mine} may import only {sorted(MAY_IMPORT[mine])}"


def test_the_rule_resolves_relative_imports_before_reading_their_room() -> None:
    """The check itself: ``from .tasks import`` in toyex/hotrepos is toyex's own tasks."""
    queueing = PACKAGE / "toyex" / "hotrepos" / "queueing.py"
    assert "celery_uncovered.toyex.hotrepos.tasks" in imported_modules(queueing)
    assert room("celery_uncovered.advex.reportcaps") == "advex"
    assert room("celery_uncovered.celery") == "project"
    assert room("celery_uncovered.advex") == "advex"  # the package itself, too


def test_no_two_modules_share_a_name() -> None:
    """A module's name says what it holds: two workers.py were two different things."""
    roots = [PACKAGE, ROOT / "config", ROOT / "plugin" / "src"]
    names = Counter(
        path.stem
        for folder in roots
        for path in folder.rglob("*.py")
        if path.stem not in CONVENTIONAL
        and "migrations" not in path.parts
        and "commands" not in path.parts
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_each_advex_pattern_says_which_question_it_answers() -> None:
    """advex holds the patterns past the tutorial: each module opens with a reader's question."""
    patterns = [path for path in (PACKAGE / "advex").glob("*.py") if path.stem not in CONVENTIONAL]
    assert patterns
    for path in patterns:
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert docstring.splitlines()[0].endswith("?"), path.name
