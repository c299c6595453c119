"""A first-name gender lexicon: evidence for the reference layer when a person
has been named but no pronoun has referred to them yet.

The data is the name table of the ``nomquamgender`` package (Ian Van Buskirk,
MIT licence): for each lower-cased, transliterated name, the number of sources
that list it, the number of people counted and p(gf), the estimated share of
people with that name who are women. Only that data file is read; the
package's module is never imported (it imports pandas and loads the whole
table, which takes seconds).

Parsing the 22 MB JSON takes more than a second, so the first run derives a
compact table (clean names whose evidence is strong, name -> "m"/"f") and
caches it, keyed by the package version and the thresholds below, under
``$QUOTECHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/quotecheck``, else
``~/.cache/quotecheck``. Later runs read only the cache. A cache directory
that cannot be written is not an error: the table is then kept in memory for
the process. Without ``nomquamgender`` installed every name is unknown and
``lexicon_available()`` is False; quotecheck works without the lexicon.
"""
from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from pathlib import Path

__all__ = ["LEXICON_SOURCE", "Lexicon", "cache_dir", "first_name_gender", "get_lexicon",
           "lexicon_available", "reset_lexicon"]

PACKAGE = "nomquamgender"
DATA_FILE = "name_data.json"

# For the README and `quotecheck people`. The thresholds were tuned on 0.1.4's data.
LEXICON_SOURCE = ("nomquamgender 0.1.4 (Ian Van Buskirk, MIT licence, "
                  "https://github.com/ianvanbuskirk/nomquamgender): first-name gender data")

# Thresholds. A name is gendered only when at most MAX_UNCERTAINTY of the people
# counted with it are of the other gender, and the evidence is broad enough.
# 0.08 (p(gf) <= 0.08 -> he, >= 0.92 -> she), not 0.05: the data has a noise
# floor of misrecorded people (George 0.066, Jose 0.065, Jane 0.949, Karen
# 0.941, Hillary 0.922), so 0.05 leaves out names no editor would doubt; 0.10
# (the package's default) lets in Ali (0.098), Alex (0.093) and Toby (0.098),
# and at 0.092-0.10 Lindsey (0.902, Lindsey Graham) comes close.
MAX_UNCERTAINTY = 0.08
MIN_COUNT = 200     # people counted with the name
MIN_SOURCES = 3     # independent sources; drops one-source junk (joef 21,318 people)

CACHE_FORMAT = 1
_PARAMS = {"max_uncertainty": MAX_UNCERTAINTY, "min_count": MIN_COUNT, "min_sources": MIN_SOURCES}

# Keys kept from the data: a plain name, or a two-part hyphenated one (the
# data's keys are lower-case ASCII; anything else there is junk).
_CLEAN_KEY = re.compile(r"[a-z]{2,}(?:-[a-z]{2,})?")
# Stored values: "m", "f", and "u" for a hyphenated name with enough data that is
# ambiguous as a whole (Marie-Joseph 0.495): it must not fall back to its first part.
_PRONOUN = {"m": "he", "f": "she", "u": None}

# Letters NFKD does not decompose, spelt as the data's transliteration spells them.
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                          "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
                          "þ": "th", "Þ": "th", "ı": "i"})
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")
_NOT_LETTER = re.compile(r"[^a-z]")


def _fold(name: str) -> str:
    """Lower-case, accents off, like quotecheck.people.fold but keeping hyphens."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    return _DASHES.sub("-", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def _name_parts(name: str) -> list[str]:
    """The folded parts of a first name: "Jean-Pierre" -> ["jean", "pierre"].
    Only the first word of the string is a first name ("John Smith" -> john)."""
    words = name.split()
    if not words:
        return []
    parts = [_NOT_LETTER.sub("", part) for part in _fold(words[0]).split("-")]
    return [part for part in parts if part]


def cache_dir() -> Path:
    """Where the derived table is cached (the directory may not exist yet)."""
    explicit = os.environ.get("QUOTECHECK_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "quotecheck"
    return Path.home() / ".cache" / "quotecheck"


def _installed_version() -> str | None:
    """The installed nomquamgender version. Read from the dist-info directory
    beside the package when there is exactly one (well under a millisecond);
    importlib.metadata, which scans every distribution (~20 ms), otherwise."""
    import importlib.util
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return None
    for location in spec.submodule_search_locations or ():
        infos = list(Path(location).parent.glob(f"{PACKAGE}-*.dist-info"))
        if len(infos) == 1:
            return infos[0].name[len(PACKAGE) + 1:-len(".dist-info")]
    from importlib import metadata
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None


def _data_file():
    """The package's data file as an importlib.resources Traversable, found
    without importing the package: importlib.resources.files("nomquamgender")
    would run its __init__, which imports pandas and parses the whole table."""
    import importlib.util
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    reader = None
    if spec.loader is not None and hasattr(spec.loader, "get_resource_reader"):
        try:
            reader = spec.loader.get_resource_reader(PACKAGE)
        except Exception:
            reader = None
    if reader is not None and hasattr(reader, "files"):
        root = reader.files()
    else:
        root = Path(next(iter(spec.submodule_search_locations)))
    path = root / DATA_FILE
    return path if path.is_file() else None


def _derive(raw: dict) -> dict[str, str]:
    """The compact table from the package's name -> [n_sources, count, p_gf, ...]."""
    table: dict[str, str] = {}
    for key, info in raw.items():
        if not _CLEAN_KEY.fullmatch(key):
            continue
        try:
            sources, count, p_gf = info[0], info[1], info[2]
            if not (isinstance(sources, (int, float)) and isinstance(count, (int, float))
                    and isinstance(p_gf, (int, float))):
                continue
        except (TypeError, IndexError, KeyError):
            continue
        if count < MIN_COUNT or sources < MIN_SOURCES:
            continue
        if p_gf <= MAX_UNCERTAINTY:
            table[key] = "m"
        elif p_gf >= 1 - MAX_UNCERTAINTY:
            table[key] = "f"
        elif "-" in key:
            table[key] = "u"
    return table


class Lexicon:
    """First name -> "he" / "she" / None. Build one with :meth:`load`; the
    process-wide instance is :func:`get_lexicon`."""

    def __init__(self, table: dict[str, str], version: str | None = None,
                 origin: str = "memory", cache_path: Path | None = None):
        self._table = table
        self.version = version          # installed nomquamgender version, None if absent
        self.origin = origin            # "cache", "data" (built this run) or "none"
        self.cache_path = cache_path    # the cache file read or written, if any

    @property
    def available(self) -> bool:
        return self.version is not None and bool(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def gender(self, name: str) -> str | None:
        """ "he", "she" or None for a first name. Case and accents do not count
        (Inès = ines); an initial (J., J.-P.) is None; a hyphenated name is judged
        as a whole when the data knows it (Jean-Pierre: he, though Jean alone is
        ambiguous), else by its first part (Marie-Solène: as Marie)."""
        parts = _name_parts(name)
        if not parts or len(parts[0]) < 2:
            return None
        if len(parts) > 1:
            whole = self._table.get(f"{parts[0]}-{parts[1]}")
            if whole is not None:
                return _PRONOUN[whole]
        return _PRONOUN.get(self._table.get(parts[0], "u"))

    @classmethod
    def load(cls, directory: Path | None = None) -> Lexicon:
        """Read the cached table for the installed package version, else derive it
        from the package's data and cache it (in ``directory``, default
        :func:`cache_dir`). Never raises for a missing package, a corrupt cache
        or an unwritable directory."""
        version = _installed_version()
        if version is None:
            return cls({}, None, "none")
        directory = cache_dir() if directory is None else Path(directory)
        path = directory / f"first-names-{PACKAGE}-{version}.json"
        table = _read_cache(path, version)
        if table is not None:
            return cls(table, version, "cache", path)
        data = _data_file()
        if data is None:
            return cls({}, None, "none")
        try:
            with data.open("r", encoding="utf-8") as handle:
                raw = json.load(handle)
            table = _derive(raw) if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            return cls({}, None, "none")
        del raw
        written = _write_cache(path, version, table)
        return cls(table, version, "data", path if written else None)


def _read_cache(path: Path, version: str) -> dict[str, str] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            cached = json.load(handle)
    except (OSError, ValueError):
        return None
    if not (isinstance(cached, dict) and cached.get("format") == CACHE_FORMAT
            and cached.get("package") == PACKAGE and cached.get("version") == version
            and cached.get("params") == _PARAMS):
        return None
    table = cached.get("names")
    if not (isinstance(table, dict) and table
            and all(isinstance(k, str) and v in _PRONOUN for k, v in table.items())):
        return None
    return table


def _write_cache(path: Path, version: str, table: dict[str, str]) -> bool:
    """Write atomically (temporary file, then os.replace); False if impossible."""
    payload = {"format": CACHE_FORMAT, "package": PACKAGE, "version": version,
               "params": _PARAMS, "source": LEXICON_SOURCE, "names": table}
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, separators=(",", ":"), sort_keys=True)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


_LEXICON: Lexicon | None = None
_LOCK = threading.Lock()


def get_lexicon() -> Lexicon:
    """The process's lexicon, loaded on first use."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                _LEXICON = Lexicon.load()
    return _LEXICON


def reset_lexicon() -> None:
    """Forget the loaded lexicon (tests; after changing QUOTECHECK_CACHE_DIR)."""
    global _LEXICON
    with _LOCK:
        _LEXICON = None


def first_name_gender(name: str) -> str | None:
    """ "he", "she" or None (ambiguous, unknown, an initial, or no lexicon)."""
    return get_lexicon().gender(name)


def lexicon_available() -> bool:
    """Whether first names can be judged: nomquamgender and its data file are
    installed (and, once loaded, the table is not empty). Does not load it."""
    if _LEXICON is not None:
        return _LEXICON.available
    return _installed_version() is not None and _data_file() is not None
