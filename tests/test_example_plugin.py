"""The example plugin package, installed for real: pip builds it, its entry point
is found by ``importlib.metadata``, and ``quotecheck check`` reports its rule.

The package is installed into a temporary directory put on ``PYTHONPATH`` of the
``quotecheck`` subprocess only, so this environment is never changed.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from conftest import fixture_path

EXAMPLE = Path(__file__).resolve().parent.parent / "plugins" / "quotecheck-newsroom-example"
PLUGIN_CODE = "NX101"


def _builds_offline() -> bool:
    """Whether the setuptools in this environment can build a wheel on its own:
    before 70.1 it needs the separate ``wheel`` package for that."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        version = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return False
    return tuple(int(p) for p in re.findall(r"\d+", version)[:2]) >= (70, 1)


def _install_example(target: Path, workdir: Path) -> None:
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not installed in this environment, so the example plugin cannot be installed")
    # Build from a copy: an in-tree setuptools build leaves build/ and *.egg-info
    # behind, and a stale build/ could ship old files.
    source = workdir / "quotecheck-newsroom-example"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--target", str(target)]
    if _builds_offline():
        command += ["--no-build-isolation", "--no-index"]
    # Otherwise pip fetches the build backend (setuptools) from the package index.
    done = subprocess.run(command + [str(source)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (
        f"pip could not install the example plugin ({'offline' if _builds_offline() else 'with build isolation'}):\n"
        f"{done.stderr}")


def _check(path: Path, extra_path: Path | None = None) -> subprocess.Popen:
    """Start ``quotecheck check PATH`` (with ``extra_path`` first on its PYTHONPATH)."""
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-m", "quotecheck", "check", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_installed_example_plugin_reports_its_rule(tmp_path):
    assert not any(ep.value.startswith("quotecheck_newsroom_example")
                   for ep in metadata.entry_points(group="quotecheck")), (
        "the example plugin is installed in this environment, so quotecheck without it cannot be "
        "observed; run its tests from its directory instead (pip uninstall quotecheck-newsroom-example)")
    draft = fixture_path("anonymous_source")
    without = _check(draft)  # runs while pip builds the plugin (two cores)
    target = tmp_path / "site"
    _install_example(target, tmp_path)
    assert (target / "quotecheck_newsroom_example" / "anonymous_source.py").is_file()

    code, out, err = _finish(_check(draft, extra_path=target))
    assert code == 1, err  # 1: findings
    [line] = [l for l in out.splitlines() if PLUGIN_CODE in l]
    assert line.startswith(f"{draft}:3:")
    assert "[unexplained-anonymous-source]" in line
    assert "a source familiar with the inspection" in line

    code, out, err = _finish(without)
    assert code == 0, out + err
    assert PLUGIN_CODE not in out
