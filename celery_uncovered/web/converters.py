"""URL converters: a UUID in either case (UUIDs are case-insensitive), reversed in lowercase."""

from __future__ import annotations

import uuid

from django.urls import register_converter


class AnyCaseUUIDConverter:
    """``<anycase_uuid:...>``: ``/reports/ABC.../`` is the same report as ``/reports/abc.../``."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID | str) -> str:
        return str(value).lower()


register_converter(AnyCaseUUIDConverter, "anycase_uuid")
