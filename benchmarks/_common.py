"""What every benchmark script shares: the code version it measured, the
model quotecheck will load, timing a whole process and reading the JSON line a
scorer prints. Scripts import it from their own directory."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Callable


def code_version() -> str:
    """Commit of the measured quotecheck checkout, +dirty if edited: the figures
    belong to that tree, which may differ from the last commit."""
    import quotecheck
    proc = subprocess.run(["git", "-C", str(Path(quotecheck.__file__).parent), "describe",
                           "--always", "--dirty=+dirty"], capture_output=True, text=True)
    return proc.stdout.strip() or "unknown (not a git checkout)"


def resolve_model(name: str | None, fail: Callable[[str], None]) -> tuple[str, str]:
    """The pipeline quotecheck will load, found by asking quotecheck itself
    (same defaults, same $QUOTECHECK_MODEL), as (package name, version);
    ``fail`` reports a model that cannot be loaded."""
    from quotecheck.language import ModelNotFound, load_pipeline
    try:
        nlp = load_pipeline(name)
    except ModelNotFound as exc:
        fail(str(exc))
    # meta["name"] omits the language prefix ("core_web_sm"); spacy.load needs it.
    return f"{nlp.meta['lang']}_{nlp.meta['name']}", nlp.meta["version"]


def timed(cmd: list[str], stdout_path: str, fail: Callable[[str], None]) -> float:
    """Wall-clock seconds of the whole process; stdout goes to stdout_path,
    and ``fail`` reports a non-zero exit status."""
    with open(stdout_path, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        fail(f"exit status {proc.returncode} from: {' '.join(cmd[:6])} ...\n{proc.stderr[-3000:]}")
    return seconds


def last_json_line(text: str, what: str, fail: Callable[[str], None]) -> dict:
    """The last non-empty line of ``text`` as JSON; ``fail`` says what printed none."""
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        fail(f"{what} did not print a JSON line; it printed:\n{text[-2000:]}")
