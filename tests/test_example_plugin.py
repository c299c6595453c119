"""The example plugin package, installed for real: pip builds it, its entry point
is found by ``importlib.metadata``, and ``quotecheck check`` reports its rule.

The package is installed into a temporary directory put on ``PYTHONPATH`` of the
``quotecheck`` subprocess only, so this environment is never changed.
"""
from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from conftest import fixture_path
from plugin_packages import install_package

PLUGIN_CODE = "NX101"


def _install_example(target: Path, workdir: Path) -> None:
    install_package("quotecheck-newsroom-example", target, workdir)


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
