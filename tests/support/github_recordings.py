"""Recorded GitHub responses (shipped with the replay server), served through `responses`."""

import json
from pathlib import Path

import responses

from celery_uncovered.devservers.replay import DATA_DIR

FIXTURES = DATA_DIR
# The report the five recorded pages make (tests/unit/test_report.py, --update-golden rewrites it).
GOLDEN = Path(__file__).parents[1] / "golden" / "github-hot-repos-recorded.csv"
SEARCH_URL = "https://api.github.test/search/repositories"
# Headers that described the recorded transfer, not the response: `responses` sets its own.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "status"}


def recorded(stem: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of one recorded exchange."""
    body = (FIXTURES / f"{stem}.body.json").read_text(encoding="utf-8")
    meta_path = FIXTURES / f"{stem}.meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        pairs = meta["response_headers"]
        pairs = pairs.items() if isinstance(pairs, dict) else pairs
        status = meta["status"]
    else:  # hub4j's WireMock mapping
        mapping = json.loads((FIXTURES / f"{stem}.wiremock-mapping.json").read_text())
        pairs = mapping["response"].get("headers", {}).items()
        status = mapping["response"]["status"]
    headers = {
        k: ", ".join(v) if isinstance(v, list) else v  # WireMock lists repeated headers
        for k, v in pairs
        if k.lower() not in _TRANSFER_HEADERS
    }
    return status, headers, body


def serve(stem: str, url: str = SEARCH_URL) -> None:
    """Answer the next request to ``url`` with a recorded exchange."""
    status, headers, body = recorded(stem)
    content_type = "application/json; charset=utf-8"
    for name in [n for n in headers if n.lower() == "content-type"]:
        content_type = headers.pop(name)
    responses.add(
        responses.GET,
        url,
        body=body,
        status=status,
        headers=headers,
        content_type=content_type.split(";")[0],
    )
