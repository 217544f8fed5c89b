"""The folders the settings point at, made before anything opens a file in them.

A fresh clone has no ``var/``: SQLite cannot create a database file in a folder that does not
exist, kombu's filesystem transport expects its folders, and a log handler cannot open its file.
Every entry point (``manage.py``, ``celery worker``/``beat``, the tests, an installed wheel)
loads Django's apps, so ``ToyexConfig.ready`` calls this once per process. Folders only: a database
server or a broker is never created here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# Transport options of kombu's filesystem transport that name folders.
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "control_folder")


def sqlite_folders(databases: Mapping[str, Mapping[str, Any]]) -> list[Path]:
    """The folders of every SQLite file the databases (and their test copies) live in."""
    folders = []
    for db in databases.values():
        if not str(db.get("ENGINE", "")).endswith("sqlite3"):
            continue
        for name in (db.get("NAME"), (db.get("TEST") or {}).get("NAME")):
            text = str(name or "")
            if text and text != ":memory:" and not text.startswith("file:"):
                folders.append(Path(text).parent)
    return folders


def configured_folders(settings: Any) -> list[Path]:
    """Every folder the settings point at: var, media, logs, SQLite files, beat, the broker."""
    folders = [Path(getattr(settings, name)) for name in ("VAR_DIR", "MEDIA_ROOT", "LOGS_DIR")]
    folders += sqlite_folders(settings.DATABASES)
    beat_schedule = getattr(settings, "CELERY_BEAT_SCHEDULE_FILENAME", "")
    if beat_schedule:
        folders.append(Path(beat_schedule).parent)
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    folders += [Path(options[key]) for key in BROKER_FOLDER_OPTIONS if key in options]
    return folders


def make_folders(folders: Iterable[Path]) -> None:
    """Create each folder (and its parents) if it is missing."""
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
