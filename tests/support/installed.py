"""The package as a user gets it: a wheel built from this checkout, installed into a new venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .project import ROOT, new_user_env

UV = [sys.executable, "-m", "uv"]


def run_quietly(argv: list[str | Path], timeout: float = 600, **kwargs: object) -> str:
    """Run a set-up step as a new user would; fail the test with its output if it fails."""
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, env=new_user_env(), **kwargs
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done.stdout


def venv_with_wheel(
    folder: Path, *requirements: str, source: Path = ROOT, extras: str = ""
) -> Path:
    """Build ``source``'s wheel, install it (``extras`` like ``[django]``) and ``requirements``
    into a new venv; the venv's bin/."""
    run_quietly([*UV, "build", "--wheel", "--out-dir", folder / "dist", source])
    (built,) = (folder / "dist").glob("*.whl")
    wheel = f"{built.name.split('-')[0]}{extras} @ {built.as_uri()}"
    venv = folder / "venv"
    run_quietly([*UV, "venv", "--python", sys.executable, venv])
    run_quietly([*UV, "pip", "install", "--python", venv / "bin" / "python", wheel, *requirements])
    return venv / "bin"
