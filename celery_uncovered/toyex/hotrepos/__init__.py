"""Scenario 1: the GitHub hot-repo report, fetched by five tasks in a chord, on a page and a CLI."""
