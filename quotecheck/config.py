"""Configuration: ``quotecheck.toml``, or ``[tool.quotecheck]`` in ``pyproject.toml``,
found upward from each checked file (the first directory that has either wins;
``quotecheck.toml`` before ``pyproject.toml`` in the same directory).

Paths in a file are relative to that file's directory. ``extends`` names a
shared newsroom configuration whose settings this file then overrides. An error
names the file, the line and the key, and nothing runs on a configuration that
failed to load.
"""
from __future__ import annotations

import fnmatch
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
from .reading import MAX_FILE_SIZE
from .vocab import SEVERITIES


class ConfigError(Exception):
    """A configuration file that cannot be used: the message names file, line and key."""


@dataclass
class Selection:
    """Which rules run and how loud: selectors are rule names, codes or code
    prefixes (``QC2``, ``UW``), or ``ALL``."""

    select: list[str] | None = None  # None: every rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # selector -> severity

    def enabled(self, name: str, code: str) -> bool:
        chosen = self.select is None or any(matches(s, name, code) for s in self.select)
        return chosen and not any(matches(s, name, code) for s in self.ignore)

    def severity_of(self, name: str, code: str, default: str) -> str:
        # The most specific selector wins: a name or full code over a prefix.
        hits = [(len(s) if s.lower() != name.lower() else 99, sev) for s, sev in self.severity.items()
                if matches(s, name, code)]
        return max(hits)[1] if hits else default


def matches(selector: str, name: str, code: str) -> bool:
    s = selector.strip()
    return s.upper() == "ALL" or s.lower() == name.lower() or code.upper().startswith(s.upper())


@dataclass
class Override:
    """Settings for the files a glob matches (relative to the configuration's directory)."""

    patterns: list[str]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)

    def applies_to(self, relative: str) -> bool:
        return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p.rstrip("/") + "/*")
                   for p in self.patterns)


@dataclass
class Config:
    path: Path | None = None  # the file the settings came from, if any
    root: Path = field(default_factory=Path.cwd)  # its directory: the project's
    sources: list[str] = field(default_factory=list)  # absolute paths
    index: str | None = None  # absolute path of the index file, if configured
    people: str | None = None  # absolute path of people.toml
    speakers: dict[str, str] = field(default_factory=dict)  # absolute path -> statement speaker
    selection: Selection = field(default_factory=Selection)
    overrides: list[Override] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)  # absolute paths, or names of shipped packs
    plugins: list[str] = field(default_factory=list)  # local plugin files or modules
    plugin_base: Path | None = None  # where local plugin specs are relative to
    report_unused_suppressions: bool = False
    max_file_size: int | None = MAX_FILE_SIZE  # bytes; a larger file is skipped, with a message

    @property
    def default_index(self) -> str:
        return self.index or str(self.root / DEFAULT_INDEX)

    def selection_for(self, path: str) -> Selection:
        """The rule selection for one checked file: the file's settings, then
        every override whose glob matches it, in order."""
        try:
            relative = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return self.selection
        sel = Selection(self.selection.select, list(self.selection.ignore), dict(self.selection.severity))
        for o in self.overrides:
            if o.applies_to(relative):
                if o.select is not None:
                    sel.select = o.select
                sel.ignore += o.ignore
                sel.severity.update(o.severity)
        return sel


# key -> (check, description for errors)
def _is_str_list(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_str_table(v) -> bool:
    return isinstance(v, dict) and all(isinstance(x, str) for x in v.values())


_KEYS = {
    "sources": (_is_str_list, "a list of paths"),
    "index": (lambda v: isinstance(v, str), "a path"),
    "people": (lambda v: isinstance(v, str), "a path"),
    "speakers": (_is_str_table, "a table of path = \"speaker\""),
    "select": (_is_str_list, "a list of rule names, codes or code prefixes"),
    "ignore": (_is_str_list, "a list of rule names, codes or code prefixes"),
    "severity": (lambda v: _is_str_table(v) and all(s in SEVERITIES for s in v.values()),
                 "a table of rule = \"error\" | \"warning\" | \"info\""),
    "packs": (_is_str_list, "a list of rule pack files or shipped pack names"),
    "plugins": (_is_str_list, "a list of plugin files or modules"),
    "extends": (lambda v: isinstance(v, str), "the path of another configuration file"),
    "overrides": (lambda v: isinstance(v, list) and all(isinstance(o, dict) for o in v),
                  "a list of [[overrides]] tables"),
    "report_unused_suppressions": (lambda v: isinstance(v, bool), "true or false"),
    "max_file_size": (lambda v: parse_size(v) is not None, 'a size: a number of bytes, or "50 MB", "2 GB", '
                                                           '"800 KB"'),
}
_OVERRIDE_KEYS = {"path", "select", "ignore", "severity"}


_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}


def parse_size(value) -> int | None:
    """Bytes from a configuration size: ``1048576``, ``"1 MB"``, ``"800KB"``
    (units of 1,024); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", value, re.I) if isinstance(value, str) else None
    if m is None or float(m.group(1)) <= 0:
        return None
    unit = m.group(2).lower()
    return int(float(m.group(1)) * _UNITS[unit if unit in _UNITS else unit + "b"])


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
    config = Config(path=path, root=path.parent.resolve())
    _apply(config, path, seen=())
    return config


def _apply(config: Config, path: Path, seen: tuple[Path, ...]) -> None:
    """Read ``path`` into ``config``: what it ``extends`` first, then its own keys."""
    path = path.resolve()
    if path in seen:
        raise ConfigError(f"{path}: extends itself (through {' → '.join(str(p) for p in seen)})")
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    table = data
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("quotecheck", {}) if isinstance(tool, dict) else None
        if not isinstance(table, dict):  # "[tool] quotecheck = 5", "tool = 5"
            where = "tool.quotecheck" if isinstance(tool, dict) else "tool"
            raise ConfigError(f"{path}:{_line_of(text, where.split('.')[-1])}: {where} must be a table, "
                              f"not {type(table if isinstance(tool, dict) else tool).__name__}")
    prefix = "tool.quotecheck." if path.name == "pyproject.toml" else ""
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}:{_line_of(text, key)}: unknown key {prefix}{key!r} "
                              f"(known: {', '.join(sorted(_KEYS))})")
        check, what = _KEYS[key]
        if not check(value):
            raise ConfigError(f"{path}:{_line_of(text, key)}: {prefix}{key} must be {what}")
    root = path.parent
    if "extends" in table:
        base = (root / table["extends"])
        if not base.is_file():
            raise ConfigError(f"{path}:{_line_of(text, 'extends')}: extends {table['extends']!r}: "
                              f"no such file {base}")
        _apply(config, base, seen + (path,))

    def here(p: str) -> str:
        return str((root / p).resolve())

    if "sources" in table:
        config.sources = [here(p) for p in table["sources"]]
    if "index" in table:
        config.index = here(table["index"])
    if "people" in table:
        config.people = here(table["people"])
    config.speakers.update({here(p): s for p, s in table.get("speakers", {}).items()})
    sel = config.selection
    if "select" in table:
        sel.select = list(table["select"])
    if "ignore" in table:
        sel.ignore = list(table["ignore"])
    sel.severity.update(table.get("severity", {}))
    if "packs" in table:
        config.packs = [p if "/" not in p and not p.endswith(".toml") else here(p) for p in table["packs"]]
    if "plugins" in table:
        config.plugins = list(table["plugins"])
        config.plugin_base = root
    if "report_unused_suppressions" in table:
        config.report_unused_suppressions = table["report_unused_suppressions"]
    if "max_file_size" in table:
        config.max_file_size = parse_size(table["max_file_size"])
    for number, o in enumerate(table.get("overrides", [])):
        config.overrides.append(_override(o, path, text, number))


def _override(o: dict, path: Path, text: str, number: int) -> Override:
    where = f"{path}:{_nth_line(text, '[[overrides]]', number) or _line_of(text, 'overrides')}"
    unknown = set(o) - _OVERRIDE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r} in [[overrides]] "
                          f"(known: {', '.join(sorted(_OVERRIDE_KEYS))})")
    patterns = o.get("path")
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if not _is_str_list(patterns) or not patterns:
        raise ConfigError(f"{where}: [[overrides]] needs path = \"glob\" (or a list of globs)")
    for key in ("select", "ignore"):
        if key in o and not _is_str_list(o[key]):
            raise ConfigError(f"{where}: overrides.{key} must be {_KEYS[key][1]}")
    if "severity" in o and not _KEYS["severity"][0](o["severity"]):
        raise ConfigError(f"{where}: overrides.severity must be {_KEYS['severity'][1]}")
    return Override(patterns, o.get("select"), list(o.get("ignore", [])), dict(o.get("severity", {})))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _has_tool_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml configures quotecheck: a ``tool.quotecheck``
    key of any type (a wrong type is then the configuration's error, said), or
    for a file TOML cannot read, a ``[tool.quotecheck]`` header."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        return re.search(r"^\[tool\.quotecheck[\].]", text, re.M) is not None
    return isinstance(tool, dict) and "quotecheck" in tool


def _line_of(text: str, key: str) -> int:
    """The line a key is set on (TOML parsers do not report it)."""
    m = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=|^[ \t]*\[\[?(?:tool\.quotecheck\.)?{re.escape(key)}\]",
                  text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _nth_line(text: str, header: str, n: int) -> int | None:
    count = -1
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().replace("tool.quotecheck.", "") == header:
            count += 1
            if count == n:
                return number
    return None
