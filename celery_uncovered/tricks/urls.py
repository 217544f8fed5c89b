"""Scenario 4's demo route lives here once it exists."""

urlpatterns: list = []
