"""docs/faults.md tells an operator what Redis visibility timeout to set, with our numbers.

A report that met a worker kill on Redis waits out the visibility timeout (600 s shipped): the
issue's soak saw ~10 minutes. The advice names the longest hold the settings guard against and
the stuck-report check's bound; if either changes in the code, this fails until the page does.
"""

import re

import config.settings.base as base
from tests.support.project import ROOT

HEADING = "## What visibility timeout to set (Redis)"


def advice() -> str:
    text = (ROOT / "docs" / "faults.md").read_text(encoding="utf-8")
    assert HEADING in text, f"docs/faults.md has no section {HEADING!r}"
    section = text.split(HEADING, 1)[1]
    return re.split(r"\n#{1,2} ", section, maxsplit=1)[0]


def seconds_after(label: str, text: str) -> float:
    found = re.search(rf"{re.escape(label)}[^0-9]*?(\d+) s", text)
    assert found, f"the advice names no number of seconds after {label!r}"
    return float(found.group(1))


def test_the_faults_page_says_what_visibility_timeout_to_set_and_why():
    text = advice()
    assert seconds_after("longest hold", text) == base.longest_hold(vars(base))
    shipped = base.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 600)
    assert seconds_after("shipped", text) == shipped
    assert seconds_after("REPORT_STALL_AFTER", text) == base.REPORT_STALL_AFTER
    for name in ("CELERY_VISIBILITY_TIMEOUT", "GITHUB_MAX_WAIT", "GITHUB_FETCH_TIME_LIMIT"):
        assert name in text
    assert "RabbitMQ" in text  # the broker that needs none of this
