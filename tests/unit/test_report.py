"""The report builder: de-duplication, grouping, order, atomic UTF-8 output, and the golden CSV."""

import difflib

from celery_uncovered.devservers.replay import recorded_pages
from celery_uncovered.toyex.hotrepos.github import trim_repo
from celery_uncovered.toyex.hotrepos.report import render_csv, report_rows, write_report
from tests.support.github_recordings import GOLDEN


def repo(id_, name, language):
    return {"id": id_, "full_name": name, "language": language}


def test_repos_are_counted_once_and_the_first_page_wins():
    """A repo seen on two pages (rankings shift) stays where it first appeared."""
    pages = [[repo(1, "a/one", "Go"), repo(2, "a/two", "Go")], [repo(1, "a/one", "Rust")]]
    assert report_rows(pages) == [["Go", "a/one", "a/two"]]


def test_rows_are_sorted_by_language_with_unknown_last():
    """Languages sorted by name; repos with no language in a final `Unknown` row."""
    pages = [
        [repo(1, "x/z", None), repo(2, "x/py", "Python"), repo(3, "x/c", "C"), repo(4, "x/n", None)]
    ]
    assert report_rows(pages) == [["C", "x/c"], ["Python", "x/py"], ["Unknown", "x/z", "x/n"]]


def test_repos_keep_the_order_github_ranked_them():
    """Within a language, the order received (stars, descending) is kept."""
    pages = [[repo(1, "b/second", "Go")], [repo(2, "a/third", "Go")]]
    assert report_rows(pages) == [["Go", "b/second", "a/third"]]


def test_the_csv_is_written_atomically_in_utf8(tmp_path):
    """The file appears whole, in UTF-8, with no temporary file left beside it."""
    path = write_report([[repo(1, "ü/日本", "Zig")]], tmp_path / "report.csv")
    assert path == tmp_path / "report.csv"
    assert path.read_text(encoding="utf-8") == "Zig,ü/日本\n"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_report_of_the_recorded_pages_matches_the_golden_file(update_golden):
    """Byte for byte; regenerate on purpose with `pytest --update-golden`."""
    pages = [[trim_repo(item) for item in page["items"]] for page in recorded_pages()]
    built = render_csv(report_rows(pages))
    if update_golden:
        GOLDEN.write_text(built, encoding="utf-8", newline="")
    golden = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(golden.splitlines(True), built.splitlines(True), "golden", "built")
    )
    assert built == golden, f"report differs from {GOLDEN.name}:\n{diff}"
