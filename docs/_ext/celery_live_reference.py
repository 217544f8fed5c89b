"""The plugin's reference, read from its code: a fixture, marker or option added there is listed.

``{celery-live-reference} fixtures`` (or ``markers``, ``ini``, ``options``) renders a table of
that kind. Fixtures come from the source (name and first docstring paragraph), so the page needs
no running pytest; the options and ini keys from ``pytest_addoption`` run against a recorder.
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

import pytest_celery_live.plugin as plugin
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx


def is_fixture(decorator: ast.expr) -> bool:
    """``@pytest.fixture`` with or without arguments."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "fixture"


def fixtures() -> list[tuple[str, str]]:
    """Every public fixture of the plugin module (methods of its plugin classes too), once."""
    tree = ast.parse(inspect.getsource(plugin))
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        public = isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        if public and any(map(is_fixture, node.decorator_list)) and node.name not in found:
            found[node.name] = first_paragraph(ast.get_docstring(node) or "")
    return sorted(found.items())


def first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())


class Recorder:
    """Stands in for pytest's parser and option group: keeps what the plugin declares."""

    def __init__(self) -> None:
        self.options: list[tuple[str, str]] = []
        self.ini: list[tuple[str, str]] = []

    def getgroup(self, *args: Any, **kwargs: Any) -> Recorder:
        return self

    def addoption(self, *names: str, help: str = "", **kwargs: Any) -> None:
        self.options.append((", ".join(names), help))

    def addini(self, name: str, help: str, **kwargs: Any) -> None:
        self.ini.append((name, help))


def rows(kind: str) -> list[tuple[str, str]]:
    if kind == "fixtures":
        return fixtures()
    if kind == "markers":
        return [tuple(marker.split(": ", 1)) for marker in plugin.MARKERS]  # type: ignore[misc]
    recorder = Recorder()
    plugin.pytest_addoption(recorder)  # type: ignore[arg-type]
    if kind == "options":
        return recorder.options
    if kind == "ini":
        return recorder.ini
    raise ValueError(f"celery-live-reference: no kind {kind!r} (fixtures, markers, ini, options)")


class Reference(Directive):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        table = nodes.table()
        group = nodes.tgroup(cols=2)
        table += group
        group += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=3)]
        body = nodes.tbody()
        for name, text in rows(self.arguments[0]):
            row = nodes.row()
            for cell_text, literal in ((name, True), (text, False)):
                entry = nodes.entry()
                paragraph = nodes.paragraph()
                paragraph += nodes.literal(text=cell_text) if literal else nodes.Text(cell_text)
                entry += paragraph
                row += entry
            body += row
        group += body
        return [table]


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("celery-live-reference", Reference)
    return {"parallel_read_safe": True}
