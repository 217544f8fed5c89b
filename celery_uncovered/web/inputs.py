"""Helpers for messages about bad input."""

SHOWN_CHARS = 40


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters: an error must not echo a megabyte back."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
