"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run by the real
``pre-commit`` in a scratch git repository.

pre-commit builds the hooks' environment itself: it clones the hook
repository and pip installs it (spaCy and the model package come from the
package index), which takes a few minutes the first time. The environment is
built once for this module: every test shares one ``PRE_COMMIT_HOME``.

The module commits a snapshot of this repository's working tree (tracked and
untracked, not ignored files) to a scratch repository: from a working tree
with changes, try-repo would only carry tracked and staged files, so new files
(this manifest itself, until committed) would be missing. One test runs
``pre-commit try-repo`` against the snapshot, as a newsroom tries the hook;
the others point a ``.pre-commit-config.yaml`` at it with ``repo:``/``rev:``,
exactly as a user's configuration points at the published repository, and run
``pre-commit run`` (try-repo builds a new environment in a temporary store on
every call, ignoring ``PRE_COMMIT_HOME``; ``run`` builds it once).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Invented drafts. CLEAN: one properly attributed quote. BROKEN: the same, but
# the second quote's closing mark is an opening mark (QC101, a warning).
# FIXABLE: under the us-wire pack, curly marks are reported (UW002, info) and
# the safe fix makes them straight; nothing else is reported.
CLEAN = ("# Ferry timetable\n\n"
         "“The ferry will run every hour from May,” said Tomas Ekwueme, the harbour master in Saltreach.\n\n"
         "Ekwueme said the new timetable had been agreed with the crews.\n")
BROKEN = ("“The ferry will run every hour from May,” said Tomas Ekwueme, the harbour master in Saltreach. "
          "“The crews have agreed. “\n\n"
          "The council said the timetable would be published on Friday.\n")
FIXABLE = "“The ferry will run every hour from May,” said Tomas Ekwueme, the harbor master in Saltreach.\n"
WIRE_CONFIG = 'packs = ["us-wire"]\n'

TIMEOUT = 1800  # the first run builds the hook environment (pip installs spaCy)


def _env(**extra: str) -> dict[str, str]:
    """The environment for git and pre-commit: no GIT_* variables leaking in
    from an outer git command (a hook running these tests), no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PRE_COMMIT_COLOR="never", **extra)
    return env


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=_env(), check=True, capture_output=True,
                          text=True).stdout


def _init_repo(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    _git("init", "-q", cwd=path)
    _git("config", "user.name", "Quotecheck Test", cwd=path)
    _git("config", "user.email", "quotecheck-test@example.invalid", cwd=path)
    _git("config", "commit.gpgsign", "false", cwd=path)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This repository's working tree committed to a scratch repository: its
    path and the commit, for ``repo:`` and ``rev:``."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, env=_env(), capture_output=True)
    assert listed.returncode == 0, f"{ROOT} is not a git working tree: {listed.stderr.decode()}"
    snapshot = tmp_path_factory.mktemp("hook-repo")
    _init_repo(snapshot)
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        src = ROOT / name
        if src.is_file():  # tracked but deleted in the working tree: left out
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, snapshot / name)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git("add", "-A", cwd=snapshot)
    _git("commit", "-q", "-m", "snapshot of the working tree", cwd=snapshot)
    return snapshot, _git("rev-parse", "HEAD", cwd=snapshot).strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """One pre-commit store for the module: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def newsroom(tmp_path, hook_repo) -> Path:
    """A scratch repository of drafts whose configuration uses both hooks."""
    repo, rev = hook_repo
    work = tmp_path / "newsroom"
    _init_repo(work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {repo.as_posix()}\n  rev: {rev}\n"
        "  hooks:\n  - id: quotecheck\n  - id: quotecheck-fix\n", encoding="utf-8")
    _git("add", ".pre-commit-config.yaml", cwd=work)
    return work


def _add(repo: Path, name: str, text: str) -> Path:
    path = repo / name
    path.write_bytes(text.encode("utf-8"))
    _git("add", name, cwd=repo)
    return path


def pre_commit(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # python -m pre_commit: the one installed with the test extra, in this venv
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True,
                          text=True, env=_env(PRE_COMMIT_HOME=str(home)), timeout=TIMEOUT)


def run_hook(home: Path, repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess:
    return pre_commit(home, "run", hook, "--color", "never", "--files", *files, cwd=repo)


def _show(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def test_manifest_is_valid(pre_commit_home):
    result = pre_commit(pre_commit_home, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=ROOT)
    assert result.returncode == 0, _show(result)


def test_example_configuration_in_docs_is_valid(pre_commit_home, tmp_path):
    """The copy-paste .pre-commit-config.yaml of docs/ci.md is one pre-commit accepts."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), re.S)
    config = next(b for b in blocks if b.startswith("repos:"))
    (tmp_path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    result = pre_commit(pre_commit_home, "validate-config", ".pre-commit-config.yaml", cwd=tmp_path)
    assert result.returncode == 0, _show(result)
    assert "id: quotecheck\n" in config and "id: quotecheck-fix" in config


def test_hook_passes_a_clean_draft_and_fails_a_broken_one(pre_commit_home, newsroom):
    _add(newsroom, "ferry.md", CLEAN)
    _add(newsroom, "broken.txt", BROKEN)

    clean = run_hook(pre_commit_home, newsroom, "quotecheck", "ferry.md")
    assert clean.returncode == 0, _show(clean)
    assert re.search(r"^quotecheck\.+Passed$", clean.stdout, re.M), _show(clean)  # run, not "Skipped"

    broken = run_hook(pre_commit_home, newsroom, "quotecheck", "broken.txt")
    assert broken.returncode == 1, _show(broken)
    assert re.search(r"^quotecheck\.+Failed$", broken.stdout, re.M), _show(broken)
    assert "- exit code: 1" in broken.stdout, _show(broken)  # quotecheck's own status
    assert re.search(r"^broken\.txt:1:\d+: QC101 \[unbalanced-quote-marks\]", broken.stdout, re.M), _show(broken)
    assert (newsroom / "broken.txt").read_bytes() == BROKEN.encode("utf-8")  # the check hook writes nothing


def test_fix_hook_fixes_like_check_fix_and_fails_once(pre_commit_home, newsroom, tmp_path):
    (newsroom / "quotecheck.toml").write_text(WIRE_CONFIG, encoding="utf-8")
    draft = _add(newsroom, "ferry.txt", FIXABLE)

    # The same draft and configuration outside the hook, fixed by the command itself.
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    (copy_dir / "quotecheck.toml").write_text(WIRE_CONFIG, encoding="utf-8")
    copy = copy_dir / "ferry.txt"
    copy.write_bytes(FIXABLE.encode("utf-8"))
    before = subprocess.run([sys.executable, "-m", "quotecheck", "check", "ferry.txt"], cwd=copy_dir,
                            capture_output=True, text=True, timeout=600)
    assert before.returncode == 0 and [line.split()[1] for line in before.stdout.splitlines()] == ["UW002"], \
        _show(before)  # its only finding is the safe-fixable info one: the check hook would pass
    fixed = subprocess.run([sys.executable, "-m", "quotecheck", "check", "--fix", "ferry.txt"], cwd=copy_dir,
                           capture_output=True, text=True, timeout=600)
    assert fixed.returncode == 0, _show(fixed)
    expected = copy.read_bytes()
    assert expected == FIXABLE.replace("“", '"').replace("”", '"').encode("utf-8")

    result = run_hook(pre_commit_home, newsroom, "quotecheck-fix", "ferry.txt")
    assert result.returncode == 1, _show(result)
    assert "- exit code: 1" in result.stdout, _show(result)  # --exit-non-zero-on-fix, not only pre-commit's diff check
    assert "- files were modified by this hook" in result.stdout, _show(result)
    assert draft.read_bytes() == expected

    _git("add", "ferry.txt", cwd=newsroom)  # the user reviews and re-stages: nothing left to fix
    again = run_hook(pre_commit_home, newsroom, "quotecheck-fix", "ferry.txt")
    assert again.returncode == 0, _show(again)
    assert draft.read_bytes() == expected


def test_try_repo_runs_the_hook_from_this_repository(pre_commit_home, newsroom, hook_repo):
    """``pre-commit try-repo``, as a newsroom tries the hook before adopting it:
    against the committed snapshot of this repository (try-repo builds its
    own environment, once for this one call)."""
    repo, rev = hook_repo
    _add(newsroom, "ferry.md", CLEAN)
    _add(newsroom, "broken.txt", BROKEN)
    result = pre_commit(pre_commit_home, "try-repo", str(repo), "quotecheck", "--ref", rev, "--color", "never",
                        "--files", "ferry.md", "broken.txt", cwd=newsroom)
    assert result.returncode == 1, _show(result)
    assert re.search(r"^quotecheck\.+Failed$", result.stdout, re.M), _show(result)
    assert re.search(r"^broken\.txt:1:\d+: QC101 \[unbalanced-quote-marks\]", result.stdout, re.M), _show(result)
    assert "ferry.md:" not in result.stdout, _show(result)  # the clean draft has nothing to report
