"""The benchmark's chord figure reads the table the same run wrote (bench/chordplot.py)."""

from bench.chordplot import rows_from_results
from bench.run import RESULTS


def test_the_figure_reads_every_row_of_the_committed_table():
    text = RESULTS.read_text(encoding="utf-8")
    table = text.split("## The report beside a plain Celery chord", 1)[1].split("\n\n")[2]
    rows = rows_from_results(text)
    assert len(rows) == len(table.strip().splitlines()) - 2  # the header and its rule
    first = table.strip().splitlines()[2].split("|")
    assert (rows[0].label, rows[0].report, rows[0].plain) == (
        first[1].strip(),
        float(first[2]),
        float(first[3]),
    )
