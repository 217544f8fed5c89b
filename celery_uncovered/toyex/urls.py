"""Scenario 1 and 2 routes."""

urlpatterns: list = []
