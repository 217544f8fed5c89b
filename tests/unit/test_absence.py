"""The suite's "does not happen" helper: fails as soon as it happens, passes after the window."""

import time

import pytest

from tests.support.absence import stays_false


def test_it_fails_at_once_when_the_thing_happens_naming_it():
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"a second e-mail: happened 0\.\ds into 30s\nseen: 2"):
        stays_false(lambda: True, 30, "a second e-mail", context=lambda: "seen: 2")
    assert time.monotonic() - started < 5  # not the 30 s window


def test_it_fails_when_the_thing_happens_late_in_the_window():
    turns_true_at = time.monotonic() + 0.2
    with pytest.raises(AssertionError, match="late"):
        stays_false(lambda: time.monotonic() > turns_true_at, 5, "late", interval=0.01)


def test_it_passes_after_the_whole_window_without_the_thing():
    started = time.monotonic()
    calls = []
    stays_false(lambda: calls.append(1), 0.3, "never", interval=0.01)
    assert time.monotonic() - started >= 0.3
    assert len(calls) > 2  # polled, not one look at the end
