"""The folder list is the architecture: which room may import which (docs/layout.md)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from tests.support.rooms import (
    CONVENTIONAL,
    MAY_IMPORT,
    PACKAGE,
    ROOT,
    imported_modules,
    module_name,
    room,
    source_files,
)


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
