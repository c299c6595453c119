"""Line numbers for error messages. TOML parsers do not report where a key was
set, and in a pack every ``[[rule]]`` table repeats the same keys, so a key is
looked for inside its own rule's section of the file."""
from __future__ import annotations

import re


class PackText:
    """The pack file's text, cut into the sections of its ``[[rule]]`` tables."""

    def __init__(self, text: str):
        self.text = text
        headers = [m.start() for m in re.finditer(r"^[ \t]*\[\[[ \t]*rule[ \t]*\]\]", text, re.M)]
        self.sections = [(s, e) for s, e in zip(headers, headers[1:] + [len(text)])]
        self.preamble_end = headers[0] if headers else len(text)

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def top_level_line(self, key: str) -> int:
        m = _key_line(key).search(self.text, 0, self.preamble_end)
        return self.line_at(m.start()) if m else 1

    def rule_line(self, index: int, key: str | None = None, entry: str | None = None) -> int:
        """The line of rule ``index``'s ``key`` (of ``entry`` in its list or table,
        if given); the rule's ``[[rule]]`` line when the key is not written there."""
        if index >= len(self.sections):
            return self.top_level_line("rule")
        start, end = self.sections[index]
        if key is None:
            return self.line_at(start)
        m = _key_line(key).search(self.text, start, end) or _subtable_line(key).search(self.text, start, end)
        if m is None:
            return self.line_at(start)
        if entry is not None:
            for literal in _literals(entry):
                pos = self.text.find(literal, m.start(), end)
                if pos >= 0:
                    return self.line_at(pos)
            bare = re.compile(rf"(?<![\w\"'-]){re.escape(entry)}[ \t]*=").search(self.text, m.start(), end)
            if bare:
                return self.line_at(bare.start())
        return self.line_at(m.start())


def _key_line(key: str) -> re.Pattern:
    return re.compile(rf"^[ \t]*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})[ \t]*=", re.M)


def _subtable_line(key: str) -> re.Pattern:
    return re.compile(rf"^[ \t]*\[[ \t]*rule\.{re.escape(key)}[ \t]*\]", re.M)


def _literals(value: str) -> list[str]:
    """How a string may be written in TOML: basic (escaped) or literal quotes."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return [f'"{escaped}"', f"'{value}'", f'"""{value}', f"'''{value}", f'"{value}"']
