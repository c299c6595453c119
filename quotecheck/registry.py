"""The people registry (optional ``people.toml``): who a newsroom quotes, as it
spells them. Canonical name, other spellings, pronoun and role, used by
attribution (a spelling resolves to the canonical name), by name comparison
across sources, and by the pronoun check.

    [[person]]
    name = "Dmitry Peskov"
    spellings = ["Dmitri Peskov", "Dmitriy Peskov"]
    pronoun = "he"
    role = "Kremlin spokesman"
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .config import ConfigError, _line_of, _nth_line
from .people import fold, same_person

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PRONOUNS = ("he", "she", "they")


@dataclass
class RegisteredPerson:
    name: str
    spellings: list[str] = field(default_factory=list)
    pronoun: str | None = None
    role: str | None = None

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.spellings]


class PeopleRegistry:
    def __init__(self, persons: list[RegisteredPerson], path: str | None = None):
        self.persons = persons
        self.path = path
        self._exact = {fold(form): p for p in persons for form in p.forms}

    @classmethod
    def load(cls, path: str) -> "PeopleRegistry":
        try:
            text = Path(path).read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read people registry: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        persons = []
        for i, entry in enumerate(data.get("person", [])):
            where = f"{path}:{_nth_line(text, '[[person]]', i) or 1}"
            if not isinstance(entry.get("name"), str) or not entry["name"].strip():
                raise ConfigError(f"{where}: [[person]] needs name = \"Full Name\"")
            spellings = entry.get("spellings", [])
            if not isinstance(spellings, list) or not all(isinstance(s, str) for s in spellings):
                raise ConfigError(f"{where}: spellings must be a list of names")
            pronoun = entry.get("pronoun")
            if pronoun is not None and pronoun not in PRONOUNS:
                raise ConfigError(f"{where}: pronoun must be one of {', '.join(PRONOUNS)}")
            unknown = set(entry) - {"name", "spellings", "pronoun", "role"}
            if unknown:
                key = sorted(unknown)[0]
                raise ConfigError(f"{path}:{_line_of(text, key)}: unknown key {key!r} in [[person]]")
            persons.append(RegisteredPerson(entry["name"].strip(), spellings, pronoun, entry.get("role")))
        extra = set(data) - {"person"}
        if extra:
            key = sorted(extra)[0]
            raise ConfigError(f"{path}:{_line_of(text, key)}: unknown key {key!r} (expected [[person]] tables)")
        return cls(persons, path)

    def lookup(self, name: str | None) -> RegisteredPerson | None:
        """The registered person a name as written refers to: an exact spelling
        first, else the one person whose name it can be (surname, variant)."""
        if not name:
            return None
        hit = self._exact.get(fold(name))
        if hit is not None:
            return hit
        fits = [p for p in self.persons if any(same_person(name, form) for form in p.forms)]
        return fits[0] if len(fits) == 1 else None

    def same(self, a: str, b: str) -> bool:
        """Two names of one person, by the registry or by spelling."""
        ra, rb = self.lookup(a), self.lookup(b)
        if ra is not None and rb is not None:
            return ra is rb
        return same_person(a, b)

