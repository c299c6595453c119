"""The example source-loader plugin (plugins/gazette-loader), installed for real:
pip builds it offline, its entry point is found, and its ``.gzt`` files are
read from a ``--source`` folder and by ``index add``; without it, the same
folder reports its ``.gzt`` files as having no known format.

The package is installed into a temporary directory put on ``PYTHONPATH`` of
the ``quotecheck`` subprocesses only, so this environment is never changed.
"""
from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from plugin_packages import install_package


GAZETTE = ("GAZETTE: Harbour Town Council\nSITTING: 4 March 2026\n===\n"
           "ANA RUIZ: The ferry budget will not rise this year.\nWe have made our choices.\n\n"
           "TOM BRIGGS: This budget fails the east ward.\n")
OTHER_SITTING = ("GAZETTE: Harbour Town Council\nSITTING: 11 March 2026\n===\n"
                 "TOM BRIGGS: The east ward will be heard.\n")
DRAFT = ("Harbour Town will keep ferry fares flat.\n\n"
         "“The ferry budget will not rise this month,” Ana Ruiz said on Tuesday.\n")
UNKNOWN = "sources/: 2 files with no known format: *.gzt (is a plugin missing?)"


def _install(target: Path, workdir: Path) -> None:
    install_package("gazette-loader", target, workdir)


def _quotecheck(cwd: Path, *args: str, plugin_path: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, QUOTECHECK_NO_CACHE="1")
    if plugin_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugin_path), env.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-m", "quotecheck", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err


def test_installed_loader_reads_gzt_folders_and_without_it_they_are_reported(tmp_path):
    assert not any(ep.value.startswith("quotecheck_gazette_loader")
                   for ep in metadata.entry_points(group="quotecheck")), (
        "the gazette loader is installed in this environment, so quotecheck without it cannot be observed "
        "(pip uninstall quotecheck-gazette-loader)")
    desk = tmp_path / "desk"
    (desk / "sources" / "march").mkdir(parents=True)
    (desk / "sources" / "council.gzt").write_text(GAZETTE, encoding="utf-8")
    (desk / "sources" / "march" / "sitting-11.gzt").write_text(OTHER_SITTING, encoding="utf-8")
    (desk / "sources" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # never counted
    (desk / "draft.txt").write_text(DRAFT, encoding="utf-8")

    # Without the plugin (started while pip builds it: two cores).
    check_without = _quotecheck(desk, "check", "draft.txt", "--source", "sources")
    code, out, err = _finish(check_without)
    # Said as a warning, which does not fail the run (a stray PDF in a source
    # folder must not break CI): the unverified quote is only an info finding.
    assert code == 0, out + err
    assert f"quotecheck: warning: {UNKNOWN}" in err.splitlines()
    assert "[quote-unverified]" in out
    index_without = _quotecheck(desk, "index", "add", "sources", "--index", "without.sqlite")

    target = tmp_path / "site"
    _install(target, tmp_path)
    assert (target / "quotecheck_gazette_loader" / "gazette.py").is_file()

    code, out, err = _finish(index_without)
    assert code == 0, out + err
    assert f"quotecheck: warning: {UNKNOWN}" in err.splitlines()
    assert "without.sqlite: 0 added" in out

    check_with = _quotecheck(desk, "check", "draft.txt", "--source", "sources", plugin_path=target)
    index_with = _quotecheck(desk, "index", "add", "sources", "--index", "with.sqlite", plugin_path=target)
    code, out, err = _finish(check_with)
    assert code == 1, out + err  # findings, and no problem
    assert "no known format" not in err
    [line] = [l for l in out.splitlines() if "[quote-altered]" in l]
    assert line.startswith("draft.txt:3:") and "council.gzt:4 (Ana Ruiz)" in line and "year → month" in line

    code, out, err = _finish(index_with)
    assert code == 0, out + err
    assert "with.sqlite: 2 added, 0 replaced, 0 unchanged" in out and "0 failed" in out

    code, out, err = _finish(_quotecheck(desk, "index", "stats", "--index", "with.sqlite", plugin_path=target))
    assert "council-gazette: 2" in out, out + err
