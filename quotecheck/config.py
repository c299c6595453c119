"""Configuration: ``quotecheck.toml``, or ``[tool.quotecheck]`` in ``pyproject.toml``,
found upward from the checked files (the first directory that has either wins;
``quotecheck.toml`` before ``pyproject.toml`` in the same directory).

Paths in the file are relative to the file's directory. An error names the file,
the line and the key, and nothing runs on a configuration that failed to load.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("quotecheck.toml", "pyproject.toml")
DEFAULT_INDEX = Path(".quotecheck") / "index.sqlite"


class ConfigError(Exception):
    """A configuration file that cannot be used: the message names file, line and key."""


@dataclass
class Config:
    path: Path | None = None  # the file the settings came from, if any
    root: Path = field(default_factory=Path.cwd)  # its directory: the project's
    sources: list[str] = field(default_factory=list)  # absolute paths
    index: str | None = None  # absolute path of the index file, if configured
    people: str | None = None  # absolute path of people.toml
    speakers: dict[str, str] = field(default_factory=dict)  # absolute path -> statement speaker

    @property
    def default_index(self) -> str:
        return self.index or str(self.root / DEFAULT_INDEX)


# key -> (expected type, description for errors)
_KEYS = {
    "sources": (list, "a list of paths"),
    "index": (str, "a path"),
    "people": (str, "a path"),
    "speakers": (dict, "a table of path = \"speaker\""),
}


def find_config(start: Path) -> Path | None:
    here = start if start.is_dir() else start.parent
    for directory in (here.resolve(), *here.resolve().parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def load_config(start: Path | None = None, path: Path | None = None) -> Config:
    """The configuration that applies at ``start`` (a file or directory), or the
    file ``path`` itself; defaults when there is none."""
    path = path or find_config(start or Path.cwd())
    if path is None:
        return Config()
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    table = data.get("tool", {}).get("quotecheck", {}) if path.name == "pyproject.toml" else data
    prefix = "tool.quotecheck." if path.name == "pyproject.toml" else ""
    root = path.parent.resolve()
    config = Config(path=path, root=root)
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}:{_line_of(text, key)}: unknown key {prefix}{key!r} "
                              f"(known: {', '.join(sorted(_KEYS))})")
        kind, what = _KEYS[key]
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)) \
                or (kind is dict and not all(isinstance(v, str) for v in value.values())):
            raise ConfigError(f"{path}:{_line_of(text, key)}: {prefix}{key} must be {what}")
    config.sources = [str((root / p).resolve()) for p in table.get("sources", [])]
    config.index = str((root / table["index"]).resolve()) if "index" in table else None
    config.people = str((root / table["people"]).resolve()) if "people" in table else None
    config.speakers = {str((root / p).resolve()): s for p, s in table.get("speakers", {}).items()}
    return config


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return re.search(r"^\[tool\.quotecheck[\].]", pyproject.read_text(encoding="utf-8"), re.M) is not None
    except (OSError, UnicodeDecodeError):
        return False


def _line_of(text: str, key: str) -> int:
    """The line a key is set on (TOML parsers do not report it)."""
    m = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=|^[ \t]*\[(?:tool\.quotecheck\.)?{re.escape(key)}\]",
                  text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1
