"""The package as a user gets it: a wheel built from this checkout, installed into a new venv.

Building the wheel and the venv costs seconds that every live pair and the programs tier paid
again for the same bytes. ``venv_with_wheel`` builds once per content: the venv lives under a
shared folder keyed by a hash of what goes into the wheel (the packages, pyproject.toml, the
README; for another source folder, such as plugin/, all of it) and of the requirements, so one
``./dev test`` builds it once and a changed file builds a new one. It is still a new venv that
only uv touched: the checkout is not on its path.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .project import ROOT, new_user_env

UV = [sys.executable, "-m", "uv"]
# What the wheel is built from (pyproject's [tool.setuptools], readme, package data).
WHEEL_SOURCES = ["pyproject.toml", "README.md", "celery_uncovered", "config"]
# What a build or a run leaves inside a source folder: not part of its content.
BUILT_HERE = {"__pycache__", "build", ".pytest_cache"}
SHARED = Path(tempfile.gettempdir()) / "celery-uncovered-installed"


def run_quietly(argv: list[str | Path], timeout: float = 600, **kwargs: object) -> str:
    """Run a set-up step as a new user would; fail the test with its output if it fails."""
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, env=new_user_env(), **kwargs
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done.stdout


def content_key(source: Path, extras: str, *requirements: str) -> str:
    """A hash of every file the wheel is built from, the extras, the requirements and Python."""
    digest = hashlib.sha256(f"{sys.version}\n{source}{extras}\n{sorted(requirements)}\n".encode())
    tops = [ROOT / name for name in WHEEL_SOURCES] if source == ROOT else [source]
    for top in tops:
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            built = BUILT_HERE.intersection(path.parts) or path.match("*.egg-info/*")
            if path.is_file() and not built:
                digest.update(path.relative_to(source).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build_venv(folder: Path, source: Path, extras: str, *requirements: str) -> None:
    """Build ``source``'s wheel, install it (``extras`` like ``[django]``) and ``requirements``
    into a new venv under ``folder``."""
    run_quietly([*UV, "build", "--wheel", "--out-dir", folder / "dist", source])
    (built,) = (folder / "dist").glob("*.whl")
    wheel = f"{built.name.split('-')[0]}{extras} @ {built.as_uri()}"
    venv = folder / "venv"
    run_quietly([*UV, "venv", "--python", sys.executable, venv])
    run_quietly([*UV, "pip", "install", "--python", venv / "bin" / "python", wheel, *requirements])


def prune(keep: Path, days: float = 1.0) -> None:
    """Remove ``keep`` (half built) and the venvs of other content not used for ``days``."""
    shutil.rmtree(keep, ignore_errors=True)
    for old in SHARED.iterdir():
        if old.is_dir() and time.time() - old.stat().st_mtime > days * 86400:
            shutil.rmtree(old, ignore_errors=True)


def venv_with_wheel(*requirements: str, source: Path = ROOT, extras: str = "") -> Path:
    """The venv's bin/ with ``source``'s wheel (and ``requirements``), built once per content.

    Sessions that run at once (a lock file) share one build; a half-built one is never used:
    its ``complete`` mark is written last (built in place, as a venv's scripts name its path).
    """
    SHARED.mkdir(parents=True, exist_ok=True)
    folder = SHARED / content_key(source, extras, *requirements)
    with (SHARED / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "complete").exists():
            prune(keep=folder)
            build_venv(folder, source, extras, *requirements)
            (folder / "complete").write_text("built from this content key\n")
        folder.touch()  # used now: prune keeps it
    return folder / "venv" / "bin"
