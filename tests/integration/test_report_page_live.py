"""The report page's routes on a real worker: what the page polls is what the worker writes."""

import pytest

from tests.support.github_recordings import GOLDEN
from tests.support.report_status import follow_status

pytestmark = pytest.mark.live


def test_post_poll_download_on_a_real_worker(client, threads_worker, github):
    """202, then queued/running with pages climbing, then done with a link to the golden CSV."""
    github.state.latency = 0.2
    github.state.add_fault(5, "slow", wait=1.5)
    answer = client.post("/reports/", {"period": "week", "date": "2026-11-24"})
    assert answer.status_code == 202
    answers = follow_status(client, answer.json()["status_url"])
    states = [a["state"] for a in answers]
    assert states[-1] == "done", answers[-1]
    assert set(states) <= {"queued", "running", "done"}
    assert 4 in [a["pages_fetched"] for a in answers if a["state"] == "running"]
    download = client.get(answers[-1]["download_url"])
    assert download["Content-Disposition"] == (
        'attachment; filename="github-hot-repos-2026-11-17-week.csv"'
    )
    assert b"".join(download.streaming_content) == GOLDEN.read_bytes()


def test_incomplete_results_from_github_show_in_the_status(client, threads_worker, github):
    """GitHub's incomplete_results on one page: the report is built, and the page says so."""
    github.state.add_fault(2, "incomplete")
    answer = client.post("/reports/", {"period": "week", "date": "2026-11-24"})
    final = follow_status(client, answer.json()["status_url"])[-1]
    assert (final["state"], final["incomplete_results"]) == ("done", True)
