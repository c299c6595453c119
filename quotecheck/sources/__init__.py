"""Stage 4: loading sources — what a draft's quotes are checked against.

A source file is one of: another article or wire copy (its quotes and speakers
come from the engine), an interview or press-conference transcript (labelled
turns), subtitles (WebVTT/SRT voices), or a statement (one speaker, from a header
or configuration). A plugin can claim any file first, through the
``quotecheck_load_source`` hook (a newsroom's own transcript format), or declare a format of its own
through ``quotecheck_source_formats`` (see :mod:`.formats`).
"""
from __future__ import annotations

from typing import Iterable

from ..engine import analyze
from ..index.update import LoadFailure
from ..model import Document, SourceFile
from .article import article_source
from .formats import (BUILTIN_PLUGIN, BUILTIN_REGISTRY, FormatRegistry, SourceFormat, detect_kind,
                      SourceFormatError, check_loaded)
from .statement import parse_statement

__all__ = ["FormatRegistry", "SourceFormat", "SourceLoader", "article_source", "detect_kind"]


class SourceLoader:
    """Turns (path, text) pairs into :class:`SourceFile` objects, parsing all the
    articles of one batch in a single spaCy stream. A file that cannot be loaded
    (a plugin's loader raised, the parse failed) is a :class:`LoadFailure` naming
    it: it neither fails the batch nor makes the other files load twice."""

    def __init__(self, model: str | None = None, extra_verbs: frozenset[str] = frozenset(),
                 speakers: dict[str, str] | None = None, plugin_hook=None,
                 formats: FormatRegistry | None = None):
        self.model = model
        self.extra_verbs = extra_verbs
        self.speakers = speakers or {}  # path -> speaker, for statements (configuration)
        self.plugin_hook = plugin_hook  # (path, text) -> SourceFile | None: the plugins' loaders, or None
        self.formats = formats or BUILTIN_REGISTRY  # the registered source formats (plugins' first)

    def __call__(self, pairs: Iterable[tuple[str, str]]) -> list[SourceFile | LoadFailure]:
        loaded: list[SourceFile | LoadFailure] = []
        articles: list[Document] = []
        for path, text in pairs:
            try:
                claimed = self.plugin_hook(path=path, text=text) if self.plugin_hook else None
                if claimed is not None:
                    loaded.append(claimed)
                    continue
                speaker = self.speakers.get(path)
                if speaker:
                    loaded.append(parse_statement(path, text, speaker=speaker))
                    continue
                fmt = self.formats.for_file(path, text)
                if fmt.load is None:  # articles: parsed by the engine, all at once below
                    articles.append(Document(path, text))
                else:
                    loaded.append(_load_with(fmt, path, text))
            except Exception as exc:
                loaded.append(LoadFailure.of(path, exc))
        if articles:
            loaded.extend(self._articles(articles))
        return loaded

    def _articles(self, docs: list[Document]) -> list[SourceFile | LoadFailure]:
        """``docs`` analysed in one stream; if that fails, each on its own, once."""
        try:
            analyze(docs, model=self.model, extra_verbs=self.extra_verbs)
        except Exception as exc:
            if len(docs) > 1:
                return [x for doc in docs for x in self._articles([Document(doc.path, doc.text)])]
            return [LoadFailure.of(docs[0].path, exc)]
        out: list[SourceFile | LoadFailure] = []
        for doc in docs:
            try:
                out.append(article_source(doc))
            except Exception as exc:
                out.append(LoadFailure.of(doc.path, exc))
        return out


def _load_with(fmt: SourceFormat, path: str, text: str) -> SourceFile:
    """``path`` read by ``fmt``'s loader; a plugin's loader that raises, or
    returns something other than a SourceFile of this file, is an error naming
    the plugin and the format."""
    if fmt.plugin in ("", BUILTIN_PLUGIN):
        return fmt.load(path, text)
    hook = f"format {fmt.name!r}"
    try:
        result = fmt.load(path, text)
    except Exception as exc:
        raise SourceFormatError(f"{path}: plugin {fmt.plugin} ({hook}) raised {exc.__class__.__name__}: "
                                f"{exc}") from None
    return check_loaded(result, path, fmt.plugin, hook, text)
