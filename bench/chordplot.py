"""The report beside a plain chord, as a picture: bench/chords.svg beside bench/results.md.

Drawn from the run's comparisons when ``nox -s bench`` writes results.md, or again from the table
results.md holds (``nox -s bench -- plot``), so the figure never shows other numbers than the
table. Each configuration gets two bars, the project's report and the plain chord of the same
five fetches, as multiples of one page's latency, with the targets as lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLOT = ROOT / "bench" / "chords.svg"
TABLE_HEADING = "## The report beside a plain Celery chord of the same five fetches"


@dataclass
class ChordRow:
    """One configuration's medians, as multiples of one page's latency."""

    label: str
    report: float
    plain: float
    ratio: float


def rows_from_results(text: str) -> list[ChordRow]:
    """The comparison table of a results.md the bench wrote (its first table after the heading)."""
    section = text.split(TABLE_HEADING, 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 4:
            try:
                report, plain, ratio = (float(cell) for cell in cells[1:4])
            except ValueError:  # the header and the rule under it
                if rows:
                    break
                continue
            rows.append(ChordRow(cells[0], report, plain, ratio))
        elif rows:
            break
    return rows


def plot(rows: list[ChordRow], targets: dict[str, float], path: Path = PLOT) -> bool:
    """Horizontal bars per configuration; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("svg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(rows) + 1.4))
    ys = range(len(rows))
    height = 0.38
    ax.barh([y - height / 2 for y in ys], [r.report for r in rows], height, label="the report")
    ax.barh([y + height / 2 for y in ys], [r.plain for r in rows], height, label="plain chord")
    for y, row in zip(ys, rows, strict=True):
        ax.text(row.report + 0.01, y - height / 2, f"÷ plain {row.ratio:.3f}", va="center",
                fontsize=8)  # fmt: skip
    ax.axvline(1.0, color="#555", linewidth=0.8)
    ax.axvline(targets["latency"], color="#c33", linestyle="--", linewidth=0.8,
               label=f"target: report ≤ {targets['latency']} x page latency")  # fmt: skip
    ax.set_yticks(list(ys), [row.label for row in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0.9, max(max(r.report for r in rows), targets["latency"]) + 0.15)
    ax.set_xlabel("wall time ÷ one page's latency (medians; 1.0 is the slowest page alone)")
    ax.legend(fontsize=8, loc="lower right")
    fig.suptitle("The report beside a plain Celery chord of the same five fetches")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
    return True
