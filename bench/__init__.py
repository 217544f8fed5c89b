"""`nox -s bench`: ratios measured in one run on one machine, never asserted by the test suite."""
