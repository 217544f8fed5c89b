"""The docs show code by including it from the files the suite runs, never by pasting it.

docs/testing.md, "Use it in your project", shows the shop (tests/support/example_project/, the
project the pytester tests copy and run) through MyST ``literalinclude`` directives. Sphinx reads
those files at build time and ``-W`` fails the build on a missing file, object or marker; this
module checks what the build cannot: every file of the shop is shown, every fixture of the plugin
is named, each tier appears in the included code, and no code is pasted there any more. It reads
the included text the way Sphinx does for the options the pages use (and refuses any other).
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.example import EXAMPLE_PROJECT
from tests.support.project import ROOT

DOCS = ROOT / "docs"
TESTING = DOCS / "testing.md"
PLUGIN = ROOT / "plugin" / "src" / "pytest_celery_live" / "plugin.py"
HEADING = "## Use it in your project"
INCLUDE = re.compile(
    r"^```\{literalinclude\} (?P<target>\S+)\n(?P<options>(?::[\w-]+:.*\n)*)```$", re.MULTILINE
)
OPTION = re.compile(r"^:(?P<name>[\w-]+):(?P<value>.*)$", re.MULTILINE)
# Options that only change how the text looks; the text itself is what the others select.
LOOKS = {"language", "caption", "linenos", "emphasize-lines"}
SELECTS = {"pyobject", "start-after", "start-at", "end-before", "end-at"}
PASTED = re.compile(r"^```(?:python|ini|toml|py)\s*$", re.MULTILINE)
TIERS = [
    "celery_live_eager", "celery_live_broker_url", "celery_live_proc_worker",
    "celery_live_inproc_worker", "celery_live_any_worker", "celery_live_spawn_worker",
    "celery_live_own_workers", "celery_live_private_broker", "celery_live_worker_env",
]  # fmt: skip


@dataclass(frozen=True)
class Include:
    page: Path
    target: str
    options: dict[str, str]

    @property
    def path(self) -> Path:
        """The included file, resolved from the page's folder as Sphinx does for a relative path."""
        return (self.page.parent / self.target).resolve()

    def __str__(self) -> str:
        chosen = ",".join(f"{k}={v}" for k, v in self.options.items() if k in SELECTS)
        return f"{self.page.relative_to(DOCS)}:{self.target}" + (f"[{chosen}]" if chosen else "")


def includes(text: str, page: Path) -> list[Include]:
    found = []
    for match in INCLUDE.finditer(text):
        options = {m["name"]: m["value"].strip() for m in OPTION.finditer(match["options"])}
        found.append(Include(page, match["target"], options))
    return found


def section() -> str:
    text = TESTING.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start:] if end == -1 else text[start:end]


def every_include() -> list[Include]:
    pages = [page for page in sorted(DOCS.rglob("*.md")) if "_build" not in page.parts]
    return [i for page in pages for i in includes(page.read_text(encoding="utf-8"), page)]


def section_includes() -> list[Include]:
    return includes(section(), TESTING)


def pyobject_lines(source: str, name: str) -> tuple[int, int]:
    """First (decorators included) and last line of a top-level or dotted definition, 1-based."""
    body: list[ast.stmt] = ast.parse(source).body
    node: ast.stmt | None = None
    for part in name.split("."):
        defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        node = next((n for n in body if isinstance(n, defs) and n.name == part), None)
        if node is None:
            raise LookupError(f"no object {name!r}")
        body = node.body
    assert node is not None
    assert node.end_lineno is not None
    decorators = getattr(node, "decorator_list", [])
    return (decorators[0].lineno if decorators else node.lineno), node.end_lineno


def included_text(include: Include) -> str:
    """The lines Sphinx shows: :pyobject: first, then the start and the end markers (substrings)."""
    unknown = set(include.options) - LOOKS - SELECTS
    assert not unknown, f"{include}: teach this test how Sphinx reads {sorted(unknown)}"
    lines = include.path.read_text(encoding="utf-8").splitlines(keepends=True)
    if name := include.options.get("pyobject"):
        first, last = pyobject_lines("".join(lines), name)
        lines = lines[first - 1 : last]
    for option, skip in (("start-after", 1), ("start-at", 0)):
        if marker := include.options.get(option):
            at = next((n for n, line in enumerate(lines) if marker in line), None)
            assert at is not None, f"{include}: {option} {marker!r} not found"
            lines = lines[at + skip :]
    for option, keep in (("end-before", 0), ("end-at", 1)):
        if marker := include.options.get(option):
            at = next((n for n, line in enumerate(lines) if marker in line), None)
            assert at is not None, f"{include}: {option} {marker!r} not found"
            lines = lines[: at + keep]
    return "".join(lines)


def shop_files() -> set[Path]:
    return {
        path.resolve()
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


@pytest.mark.parametrize("include", every_include(), ids=str)
def test_each_include_of_the_docs_shows_some_code_of_a_file_of_the_repo(include):
    assert include.path.is_relative_to(ROOT), f"{include} reaches outside the repository"
    assert included_text(include).strip(), f"{include} shows nothing"


def test_the_section_shows_the_shop_by_including_it_and_pastes_no_code():
    assert len(section_includes()) >= 15
    assert all(i.path.is_relative_to(EXAMPLE_PROJECT.resolve()) for i in section_includes())
    assert PASTED.findall(section()) == [], "a pasted block: include it from the shop's file"


def test_every_file_of_the_shop_is_shown():
    assert {i.path for i in section_includes()} == shop_files()


def test_every_fixture_of_the_plugin_is_named_and_each_tier_has_an_example():
    code = "".join(included_text(i) for i in section_includes())
    assert [name for name in plugin_fixtures() if f"`{name}" not in section()] == []
    assert [name for name in TIERS if not re.search(rf"\b{name}\b", code)] == []


def test_a_marker_in_the_shop_is_a_pair_the_docs_use():
    """A ``# docs: <name>-start`` / ``-end`` pair in a shop file is there for an include (whose
    options name it without the ``#``, which MyST would read as a comment)."""
    used = {i.options.get(o) for i in section_includes() for o in ("start-after", "end-before")}
    for path in shop_files():
        markers = set(re.findall(r"^\s*# docs: (\S+)$", path.read_text(), re.MULTILINE))
        assert markers <= used, f"{path.name}: markers no include uses: {sorted(markers - used)}"


def test_the_shop_is_not_collected_as_this_projects_tests():
    """Its conftest and tests run only in a folder of their own (the root conftest ignores it)."""
    conftest = (ROOT / "conftest.py").read_text(encoding="utf-8")
    assert f'"{EXAMPLE_PROJECT.relative_to(ROOT).as_posix()}"' in conftest
