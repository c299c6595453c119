"""What every benchmark script shares: the code version it measured and the
model quotecheck will load. Scripts import it from their own directory."""
from __future__ import annotations

import subprocess
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
