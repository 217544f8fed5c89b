"""An axe-core scan run inside the page (axe-playwright-python ships axe-core): WCAG A and AA."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# Every WCAG A/AA rule axe knows, 2.0 to 2.2; best practices and AAA are not asked for.
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def wcag_violations(page) -> str:
    """The WCAG A/AA violations on the page as axe words them; empty when there are none."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}})
    if results.violations_count == 0:
        return ""
    return results.generate_report()
