"""The rooms of the package and the imports between them, read from the code with ``ast``.

One reading for the rule's test (tests/unit/test_layout.py) and the layout page's picture
(docs/_ext/layout_house.py), so the picture shows what the test checks.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "celery_uncovered"

# docs: may-import-start
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
# docs: may-import-end
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


def room_lines() -> Counter[str]:
    """Lines of code per room (what the picture sizes a room by)."""
    lines: Counter[str] = Counter()
    for path in source_files():
        lines[room(module_name(path))] += len(path.read_text(encoding="utf-8").splitlines())
    return lines


def room_imports() -> Counter[tuple[str, str]]:
    """How many modules of one room import a module of another (an arrow each pair)."""
    arrows: Counter[tuple[str, str]] = Counter()
    for path in source_files():
        mine = room(module_name(path))
        for other in {room(name) for name in imported_modules(path)} - {mine}:
            arrows[mine, other] += 1
    return arrows
