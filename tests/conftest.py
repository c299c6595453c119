"""Shared helpers: fixture files, the spaCy pipeline (loaded once), analysed documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from quotecheck.engine import analyze
from quotecheck.language import load_pipeline
from quotecheck.model import Document, Quote
from quotecheck.plugins import build_manager, collect_rules
from quotecheck.quotes import find_quotes
from quotecheck.rules.runner import run_rules

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_path(name: str) -> Path:
    path = FIXTURES / f"{name}.txt"
    assert path.is_file(), f"missing fixture {path}"
    return path


def fixture_text(name: str) -> str:
    return fixture_path(name).read_text(encoding="utf-8")


def found(name: str) -> Document:
    """A fixture with its quotes found (no parse, no attribution)."""
    doc = Document(str(fixture_path(name)), fixture_text(name))
    find_quotes(doc)
    return doc


def quote_starting(doc: Document, prefix: str) -> Quote:
    """The one quote of ``doc`` whose text starts with ``prefix``."""
    matches = [q for q in doc.quotes if q.text.startswith(prefix)]
    assert len(matches) == 1, (prefix, [q.text for q in doc.quotes])
    return matches[0]


def findings_of(doc: Document, rule: str | None = None):
    findings, errors = run_rules(doc, collect_rules(build_manager(entry_points=False)), context={})
    assert errors == []
    return [f for f in findings if rule is None or f.rule == rule]


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline, loaded once for the whole session (load_pipeline is cached)."""
    return load_pipeline()


@pytest.fixture
def analyzed(nlp):
    """``analyzed("name")``: the fixture file, read, quotes found and attributed."""

    def _analyze(name: str) -> Document:
        doc = Document(str(fixture_path(name)), fixture_text(name))
        analyze([doc])
        return doc

    return _analyze


@pytest.fixture(scope="session", autouse=True)
def _isolated_run_settings(tmp_path_factory):
    """The suite never reads or writes the user's result cache (a cache of its
    own, fresh for every run), and runs the command line in one process unless
    a test asks for workers (``-j``): a monkeypatched function must be the one
    that runs."""
    mp = pytest.MonkeyPatch()
    mp.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("quotecheck-cache")))
    mp.setenv("QUOTECHECK_JOBS", "1")
    yield
    mp.undo()
