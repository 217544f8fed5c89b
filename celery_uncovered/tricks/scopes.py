"""Scenario 4: tasks that carry the caller's scope (its locale) to the worker.

The caller's active Django language is turned into a ``locale_id`` keyword argument when the task is
sent, however it is sent (``delay``, ``apply_async``, a signature inside a group, chain or chord),
unless the caller passed one. In the worker, that locale is active while the task runs, so tasks it
sends inherit it the same way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from celery import Task
from celery.canvas import Signature
from celery.result import AsyncResult
from django.conf import settings
from django.utils import translation

from celery_uncovered.web.inputs import shown

LOCALES_DIR = Path(__file__).parent / "locales"
_LOCALE_ID = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")


def known_locales() -> tuple[str, ...]:
    """The locale ids Django is configured for."""
    return tuple(code for code, _ in settings.LANGUAGES)


def locale_id_for(language: str | None, default: str = "en") -> str:
    """The locale id of a Django language code: exact, else its base language, else ``default``."""
    if not language:
        return default
    code = language.lower()
    known = known_locales()
    if code in known:
        return code
    base = code.split("-")[0]
    return base if base in known else default


def check_locale_id(locale_id: object) -> str:
    """A known locale id, or a ValueError: nothing else may reach a file name."""
    if not isinstance(locale_id, str) or not _LOCALE_ID.fullmatch(locale_id):
        raise ValueError(f"invalid locale id {shown(locale_id)}")
    if locale_id not in known_locales():
        raise ValueError(
            f"unknown locale {shown(locale_id)}: choose one of {', '.join(known_locales())}"
        )
    return locale_id


def read_scenario_file(locale_id: object, folder: Path = LOCALES_DIR) -> dict[str, Any]:
    """The scenario fixture of a locale; the id is checked before it becomes a path."""
    path = (folder / f"sc_{check_locale_id(locale_id)}.json").resolve()
    if path.parent != folder.resolve():
        raise ValueError(f"invalid locale id {shown(locale_id)}")
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except FileNotFoundError:
        raise ValueError(f"no scenario file for locale {shown(locale_id)}") from None


class ScopeBasedTask(Task):  # type: ignore[type-arg]  # Task[P, R] is not subscriptable at run time
    """Injects each of ``scope_args`` the caller did not pass, from the caller's context."""

    abstract = True
    scope_args: tuple[str, ...] = ("locale_id",)
    default_locale_id = "en"

    def scope_value(self, name: str) -> object:
        """The caller's value of one scope argument (override for new scopes)."""
        if name == "locale_id":
            return locale_id_for(translation.get_language(), self.default_locale_id)
        raise NotImplementedError(f"no way to find scope argument {name!r}")

    def inject_scope_args(self, kwargs: dict[str, Any] | None) -> dict[str, Any]:
        """A copy of ``kwargs`` with the missing scope arguments filled in; explicit values win.

        An explicit locale id is checked here, in the caller: a bad one is an error before
        anything is queued (the worker checks again, for messages sent by name).
        """
        injected = dict(kwargs or {})
        for name in self.scope_args:
            if name not in injected:
                injected[name] = self.scope_value(name)
        if "locale_id" in self.scope_args:
            check_locale_id(injected["locale_id"])
        return injected

    def apply_async(
        self,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
        *more: Any,
        **options: Any,
    ) -> AsyncResult[Any]:
        """Celery's ``apply_async``, its positional and keyword options passed on as they came."""
        return super().apply_async(args, self.inject_scope_args(kwargs), *more, **options)

    def signature(
        self, args: tuple[Any, ...] | None = None, *starargs: Any, **starkwargs: Any
    ) -> Signature[Any]:
        """``.s()``/``.si()``: inject when the signature is made, i.e. in the caller's context."""
        sig = super().signature(args, *starargs, **starkwargs)
        # What ``sig.kwargs = ...`` does (a Signature is a dict); the stub's property is read-only.
        sig["kwargs"] = self.inject_scope_args(sig.kwargs)
        return sig

    def __call__(self, *args: object, **kwargs: object) -> object:
        """Run with the task's locale active, so what it does and sends follows that locale."""
        locale_id = kwargs.get("locale_id")
        language = (
            locale_id if isinstance(locale_id, str) and locale_id in known_locales() else None
        )
        with translation.override(language or self.default_locale_id):
            return super().__call__(*args, **kwargs)
