"""CSV formula injection: a cell a spreadsheet would run as a formula is neutralised (OWASP)."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from celery_uncovered.toyex.hotrepos.report import FORMULA_TRIGGERS, render_report, safe_cell


def repo(id_, name, language):
    return {"id": id_, "full_name": name, "language": language}


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_repo_named_like_a_formula_comes_out_as_text():
    """The issue's four repros: each gets a leading apostrophe, nothing else changes."""
    names = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)"]
    pages = [[repo(i, name, "Go") for i, name in enumerate(names)]]
    assert cells(render_report(pages)) == [["Go", *(f"'{name}" for name in names)]]


def test_a_language_named_like_a_formula_comes_out_as_text():
    pages = [[repo(1, "a/b", "=1+1"), repo(2, "a/c", "\tTab"), repo(3, "a/d", "\rCR")]]
    rows = sorted(cells(render_report(pages)))
    assert rows == [["'\tTab", "a/c"], ["'\rCR", "a/d"], ["'=1+1", "a/b"]]


# Text a repo or language name could be: any characters, the triggers first more often.
names = st.one_of(
    st.text(max_size=30),
    st.builds(lambda c, rest: c + rest, st.sampled_from(FORMULA_TRIGGERS), st.text(max_size=20)),
)


@given(st.lists(st.tuples(names, st.one_of(st.none(), names)), max_size=12))
def test_no_cell_of_any_report_starts_with_a_formula_trigger(repos):
    """Whatever GitHub sends, every cell read back starts with no trigger and keeps its text."""
    pages = [[repo(i, name, language) for i, (name, language) in enumerate(repos)]]
    rows = cells(render_report(pages))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell
    written = {cell for row in rows for cell in row}
    for name, _ in repos:  # nothing lost: each name is there, at most one apostrophe added
        assert safe_cell(name) in written


def test_ordinary_cells_are_untouched():
    assert [safe_cell(v) for v in ("Go", "C++", "a/-b", "", "1")] == ["Go", "C++", "a/-b", "", "1"]
