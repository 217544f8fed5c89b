"""docs/testing.md, "Use it in your project", shows the shop's files as its proof runs them.

Each code block of that section is preceded by ``<!-- example: <path> -->`` and must be a run of
whole lines of that file of tests/support/example_project/ (the files the pytester tests copy and
run); every file of the shop is shown; every fixture of the plugin is named, and each tier has an
example.
"""

import ast
import re

import pytest

from tests.support.example import EXAMPLE_PROJECT
from tests.support.project import ROOT

DOCS = ROOT / "docs" / "testing.md"
PLUGIN = ROOT / "plugin" / "src" / "pytest_celery_live" / "plugin.py"
HEADING = "## Use it in your project"
BLOCK = re.compile(r"<!-- example: (?P<path>\S+) -->\n```\w*\n(?P<code>.*?)```\n", re.DOTALL)
TIERS = [
    "celery_live_eager", "celery_live_broker_url", "celery_live_proc_worker",
    "celery_live_inproc_worker", "celery_live_any_worker", "celery_live_spawn_worker",
    "celery_live_own_workers", "celery_live_private_broker", "celery_live_worker_env",
]  # fmt: skip


def section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start:] if end == -1 else text[start:end]


def blocks() -> list[tuple[str, str]]:
    return [(match["path"], match["code"]) for match in BLOCK.finditer(section())]


def shop_files() -> set[str]:
    return {
        path.relative_to(EXAMPLE_PROJECT).as_posix()
        for path in EXAMPLE_PROJECT.rglob("*")
        if path.is_file() and path.suffix in {".py", ".ini"} and path.read_text().strip()
    }


def plugin_fixtures() -> list[str]:
    """Every public fixture plugin.py defines (read from its source: no pytest internals)."""
    names = []
    for node in ast.walk(ast.parse(PLUGIN.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            if any(d.startswith("pytest.fixture") for d in decorators):
                names.append(node.name)
    return names


def test_the_section_has_example_blocks():
    assert len(blocks()) >= 15


@pytest.mark.parametrize(("path", "code"), blocks(), ids=[p for p, _ in blocks()])
def test_each_block_is_a_run_of_whole_lines_of_the_file_it_names(path, code):
    text = (EXAMPLE_PROJECT / path).read_text(encoding="utf-8")
    assert ("\n" + code) in ("\n" + text), f"docs/testing.md shows {path} otherwise than it is"


def test_every_file_of_the_shop_is_shown():
    assert {path for path, _ in blocks()} == shop_files()


def test_every_fixture_of_the_plugin_is_named_and_each_tier_has_an_example():
    text, code = section(), "".join(code for _, code in blocks())
    assert [name for name in plugin_fixtures() if f"`{name}" not in text] == []
    assert [name for name in TIERS if not re.search(rf"\b{name}\b", code)] == []


def test_the_shop_is_not_collected_as_this_projects_tests():
    """Its conftest and tests run only in a folder of their own (the root conftest ignores it)."""
    conftest = (ROOT / "conftest.py").read_text(encoding="utf-8")
    assert f'"{EXAMPLE_PROJECT.relative_to(ROOT).as_posix()}"' in conftest
