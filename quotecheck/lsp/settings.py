"""The language server's settings: the ``quotecheck`` section of the editor's
configuration (``workspace/configuration``, per workspace folder), the
initialization options (the same keys, for editors that only send those),
and what each means.

Everything a project shares lives in its configuration file
(``quotecheck.toml`` or ``pyproject.toml``, found upward from each draft, as on
the command line); these settings are for the person at the keyboard, and the
paths and lists here are added to or replace the file's exactly as the command
line's flags of the same name do. Relative paths are relative to the
workspace folder.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields

from ..config import KEY_CHECKS
from ..index.store import is_store_url

DEFAULT_DEBOUNCE_MS = 250
DEFAULT_PARSE_CACHE = 4096  # paragraphs


class SettingsError(ValueError):
    """A setting of the wrong type: the message names the key."""


@dataclass
class Settings:
    """One workspace folder's settings (see docs/editors.md for each key)."""

    debounce: int = DEFAULT_DEBOUNCE_MS  # ms of quiet after an edit before the buffer is checked
    config: str | None = None  # one configuration file for every draft, instead of finding it upward
    sources: list[str] = field(default_factory=list)  # added to the configured sources (--source)
    index: str | None = None  # one more index (--index): a file, or a postgresql:// URL
    people: str | None = None  # the people registry (--people)
    packs: list[str] = field(default_factory=list)  # rule packs beyond the configured ones (--pack)
    select: list[str] | None = None  # replaces the configured selection (--select)
    ignore: list[str] = field(default_factory=list)  # added to the configured ignores (--ignore)
    model: str | None = None  # the spaCy pipeline (--model)
    code_lens: bool = True  # the summary line at the top of each draft
    parse_cache: int = DEFAULT_PARSE_CACHE  # paragraphs' parses kept between checks (0: none); server-wide
    timing: bool = False  # send quotecheck/timing after each check (benchmarks/lsp_latency.py)

    def session_options(self) -> dict:
        """The :class:`quotecheck.session.Workspace` options these settings give."""
        return {"model": self.model, "people": self.people, "sources": list(self.sources), "index": self.index,
                "packs": list(self.packs), "select": self.select, "ignore": list(self.ignore)}

    def session_key(self) -> tuple:
        """What decides the sessions (debounce, the code lens and timing do not)."""
        return (self.config, tuple(self.sources), self.index, self.people, tuple(self.packs),
                None if self.select is None else tuple(self.select), tuple(self.ignore), self.model)


_PATHS = ("config", "index", "people")
_PATH_LISTS = ("sources",)


# The keys a configuration file also has are checked as it checks them.
_SHARED = ("sources", "index", "people", "packs", "select", "ignore")
_CHECKS = {
    "debounce": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 60_000,
                 "a number of milliseconds, 0 to 60000"),
    "config": (lambda v: isinstance(v, str), "a path"),
    **{key: KEY_CHECKS[key] for key in _SHARED},
    "model": (lambda v: isinstance(v, str), "a spaCy pipeline name"),
    "code_lens": (lambda v: isinstance(v, bool), "true or false"),
    "parse_cache": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                    "a number of paragraphs, 0 or more"),
    "timing": (lambda v: isinstance(v, bool), "true or false"),
}
KEYS = tuple(_CHECKS)
# camelCase spellings, as VS Code-style settings write them.
_ALIASES = {"codeLens": "code_lens", "parseCache": "parse_cache"}


def read_settings(values: dict | None, base: Settings | None = None, root: str | None = None) -> Settings:
    """``base`` with the keys of ``values`` (the ``quotecheck`` section) applied;
    a key set to null keeps ``base``'s value. Relative paths are made absolute
    against ``root`` (the workspace folder). An unknown key or a value of the
    wrong type raises :class:`SettingsError` naming it."""
    out = Settings(**{f.name: getattr(base, f.name) for f in fields(Settings)}) if base else Settings()
    if values is None:
        return out
    if not isinstance(values, dict):
        raise SettingsError(f"the quotecheck settings must be an object, not {type(values).__name__}")
    for raw, value in values.items():
        key = _ALIASES.get(raw, raw)
        if key not in _CHECKS:
            raise SettingsError(f"unknown setting quotecheck.{raw} (known: {', '.join(KEYS)})")
        if value is None:
            continue
        check, what = _CHECKS[key]
        if not check(value):
            raise SettingsError(f"setting quotecheck.{raw} must be {what}, not {value!r}")
        if key == "debounce":
            value = int(value)
        if key in _PATHS:
            value = _absolute(value, root)
        elif key in _PATH_LISTS:
            value = [_absolute(v, root) for v in value]
        elif key == "packs":  # a shipped pack's name stays a name; a file is found from the folder
            value = [_absolute(v, root) if v.endswith(".toml") or "/" in v or os.sep in v else v for v in value]
        elif isinstance(value, list):
            value = list(value)
        setattr(out, key, value)
    return out


def _absolute(path: str, root: str | None) -> str:
    if is_store_url(path):  # a database server's index, not a file
        return path
    path = os.path.expanduser(path)
    return path if os.path.isabs(path) or root is None else os.path.normpath(os.path.join(root, path))
