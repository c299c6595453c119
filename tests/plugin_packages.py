"""Installing the example plugin packages of ``plugins/`` for real, as a
newsroom would, for the tests that use them: pip builds each from a copy (an
in-tree setuptools build leaves build/ and *.egg-info behind, and a stale
build/ could ship old files) and installs it into a temporary directory
(``--target``), which the test puts on the PYTHONPATH of the quotecheck it runs."""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


def builds_offline() -> bool:
    """Whether the setuptools in this environment can build a wheel on its own:
    before 70.1 it needs the separate ``wheel`` package for that."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        version = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return False
    return tuple(int(p) for p in re.findall(r"\d+", version)[:2]) >= (70, 1)


def install_package(name: str, target: Path, workdir: Path) -> Path:
    """Install ``plugins/NAME`` into ``target`` (offline when setuptools can
    build on its own; otherwise pip fetches the build backend); ``target``."""
    if importlib.util.find_spec("pip") is None:
        pytest.skip(f"pip is not installed in this environment, so {name} cannot be installed")
    source = workdir / name
    shutil.copytree(PLUGINS / name, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--target", str(target)]
    if builds_offline():
        command += ["--no-build-isolation", "--no-index"]
    done = subprocess.run(command + [str(source)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, (
        f"pip could not install {name} ({'offline' if builds_offline() else 'with build isolation'}):\n"
        f"{done.stderr}")
    return target
