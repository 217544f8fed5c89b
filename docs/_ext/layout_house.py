"""The layout page's picture, drawn at build time from the code's imports (an SVG, no image file).

``{layout-house}`` renders the package's rooms, the levels (project, advex, tricks, toyex) on the
left and the plumbing on the right, each with its lines of code, and an arrow for each pair of
rooms where a module of one imports a module of the other. It reads the imports as
``tests/unit/test_layout.py`` does (``tests.support.rooms``), so a move that changes the rule's
outcome changes the picture too.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.rooms import room_imports, room_lines  # the checkout, put on the path above

# (column, row): the tutorial's levels down the left column, the plumbing on the right.
PLACES = {
    "project": (0, 0), "advex": (0, 1), "tricks": (0, 2), "toyex": (0, 3),
    "devservers": (1, 1), "web": (1, 2), "messaging": (1, 3), "transports": (1, 4),
}  # fmt: skip
WIDTH, BOX_W, BOX_H, ROW_H, TOP, LEFT, COLUMN_W = 560, 150, 46, 80, 16, 90, 290


def positions() -> dict[str, tuple[float, float]]:
    """Each room's box, top-left corner."""
    return {
        name: (LEFT + column * COLUMN_W, TOP + row * ROW_H)
        for name, (column, row) in PLACES.items()
    }


def arrow(start: tuple[float, float], end: tuple[float, float], count: int, title: str) -> str:
    """An arrow between two boxes: across between columns, down (bent out) within one."""
    (x1, y1), (x2, y2) = start, end
    if x1 != x2:  # from one column to the other: right edge to left edge, or back
        right = x2 > x1
        sx, ex = (x1 + BOX_W, x2) if right else (x1, x2 + BOX_W)
        sy, ey = y1 + BOX_H / 2, y2 + BOX_H / 2
        path = f"M{sx:.0f},{sy:.0f} L{ex:.0f},{ey:.0f}"
    else:  # one column: bottom to top, bent outwards past the boxes between
        down = y2 > y1
        sy, ey = (y1 + BOX_H, y2) if down else (y1, y2 + BOX_H)
        x = x1 + BOX_W / 2
        if abs(y2 - y1) <= ROW_H:
            path = f"M{x:.0f},{sy:.0f} L{x:.0f},{ey:.0f}"
        else:
            side = x1 - 40 if x1 < LEFT + COLUMN_W else x1 + BOX_W + 40
            sx, ex = (x1, x1) if side < x1 else (x1 + BOX_W, x1 + BOX_W)
            sy, ey = y1 + BOX_H / 2, y2 + BOX_H / 2
            path = f"M{sx:.0f},{sy:.0f} C{side:.0f},{sy:.0f} {side:.0f},{ey:.0f} {ex:.0f},{ey:.0f}"
    return (
        f'<path d="{path}" stroke-width="{min(1 + count / 3, 4):.1f}" marker-end="url(#head)">'
        f"<title>{escape(title)}</title></path>"
    )


def house_svg() -> str:
    """The picture: boxes sized alike, labelled with lines of code; arrows titled with counts."""
    where, lines, imports = positions(), room_lines(), room_imports()
    rows = max(row for _, row in PLACES.values()) + 1
    height = TOP * 2 + rows * ROW_H - (ROW_H - BOX_H)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="The package\'s rooms and the imports between them" '
        f'font-family="sans-serif" font-size="13">',
        '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#777"/></marker></defs>',
        '<g fill="none" stroke="#777" opacity="0.75">',
    ]
    for (source, target), count in sorted(imports.items()):
        # Into "project" is a room using the Celery app itself, which every app room may.
        if source in where and target in where and target != "project":
            title = f"{source} → {target}: {count} module(s) import it"
            parts.append(arrow(where[source], where[target], count, title))
    parts.append("</g>")
    for name, (x, y) in where.items():
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            'fill="#eef3fb" stroke="#4a6fa5"/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + 20:.0f}" text-anchor="middle" '
            f'font-weight="bold">{escape(name)}</text>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + 37:.0f}" text-anchor="middle" '
            f'fill="#555">{lines[name]:,} lines</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


class LayoutHouse(Directive):
    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", house_svg(), format="html")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("layout-house", LayoutHouse)
    return {"parallel_read_safe": True}
