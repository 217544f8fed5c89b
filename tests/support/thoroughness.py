"""How many examples a property tries: a share of the loaded Hypothesis profile's budget.

The root conftest.py registers the profiles: ``fast`` (the default, a bare ``pytest`` while
editing) and ``thorough`` (CI, or ``HYPOTHESIS_PROFILE=thorough``). A property asks for a share
of the budget, so the expensive ones stay cheaper than the cheap ones on either profile.
"""

from hypothesis import settings


def examples(share: float = 1.0) -> int:
    """``share`` of the profile's ``max_examples``, at least 5."""
    return max(5, round(settings.default.max_examples * share))
