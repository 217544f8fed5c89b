"""Clickjacking: no page or JSON answer of this site may be framed by another origin."""

import uuid

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/reports/"),
        ("post", "/reports/"),
        ("get", f"/reports/{uuid.uuid4()}/"),
        ("get", f"/scenario/{uuid.uuid4()}/"),
    ],
)
def test_every_answer_forbids_framing(client, method, path):
    """X-Frame-Options DENY and a CSP with frame-ancestors 'none', on the page and the JSON."""
    answer = getattr(client, method)(path)
    assert answer["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer["Content-Security-Policy"]
