"""Write ``docs/reference.md``, the reference for plugin authors, from the code.

Everything in that page is read from quotecheck itself: the hooks and their
arguments from ``quotecheck/hookspecs.py``, every type a hook receives or
returns (and every type reachable from those through their fields) from the
dataclasses in ``quotecheck/model.py``, ``quotecheck/session.py`` and the
modules they name, each field's meaning from the comment beside it (or the
class docstring's ``name``: sentence), closed vocabularies from
``quotecheck/vocab.py``, and the codes table from a session's ``rule_info()``.
Only the examples and the few paragraphs of prose below are written here.

    python scripts/plugin_reference.py docs/reference.md          # (re)write it
    python scripts/plugin_reference.py docs/reference.md --check  # exit 1 if stale

``tests/test_reference_docs.py`` fails when the committed page differs from
what this script writes now, so a new hook or field is documented by adding
its comment in the code and running the first command.
"""
from __future__ import annotations

import argparse
import ast
import dataclasses
import importlib
import inspect
import io
import re
import sys
import textwrap
import tokenize
import typing
from pathlib import Path

# -- what is documented ---------------------------------------------------------

# The types hooks hand to plugins or take back from them. Every quotecheck type
# their fields (and properties) name is documented too, found by following them.
ROOTS = (
    "quotecheck.model.Document",
    "quotecheck.model.Quote",
    "quotecheck.model.RuleContext",
    "quotecheck.model.Finding",
    "quotecheck.model.SourceFile",
    "quotecheck.rules.Rule",
    "quotecheck.sources.formats.SourceFormat",
    "quotecheck.session.Report",
)

# What each hook argument is, by name (hookspecs carry no annotations).
ARGUMENT_TYPES = {
    "quote": "Quote",
    "doc": "Document",
    "context": "RuleContext",
    "path": "str",
    "text": "str",
}

# What each hook returns. A hook missing here is still documented (its
# docstring says what it returns); add it for the one-line summary.
RETURN_TYPES = {
    "quotecheck_rules": "Iterable[Rule]",
    "quotecheck_reporting_cues": "Iterable[str]",
    "quotecheck_load_source": "SourceFile | None",
    "quotecheck_source_formats": "Iterable[SourceFormat]",
    "quotecheck_check_quote": "Iterable[Finding] | None",
    "quotecheck_check_document": "Iterable[Finding] | None",
    "quotecheck_output_formats": "dict[str, Callable[[Report], str]]",
    "quotecheck_rule_packs": "dict[str, str | Path | Traversable]",
}

# Fields typed ``str`` whose values come from a closed vocabulary of
# quotecheck/vocab.py: (class, field) -> the Literal's name there. A name
# vocab.py does not define (yet) is left out of the page.
VOCABULARY_FIELDS = {
    ("Quote", "kind"): "QuoteKind",
    ("Attribution", "method"): "Method",
    ("Attribution", "pronoun"): "Pronoun",
    ("SourcePassage", "pronoun"): "Pronoun",
    ("Person", "pronouns"): "Pronoun",
    ("Finding", "severity"): "Severity",
    ("Rule", "severity"): "Severity",
    ("Alteration", "kind"): "AlterationKind",
    ("MarkProblem", "kind"): "MarkProblemKind",
    ("WordEdit", "op"): "EditOp",
    ("WordEdit", "touches"): "EditTouch",
}

# Members that are the pipeline's, not a plugin's (they change the object).
PIPELINE_MEMBERS = {"attach", "detach", "add_mention", "add_evidence", "keep_pronouns", "index", "get",
                    "to_json"}

# One short constructor call per type; tests/test_reference_docs.py runs each.
EXAMPLES = {
    "Document": 'Document("draft.txt", "“We will rebuild the bridge,” said Mayor Ana Ruiz.\\n")',
    "Quote": ('Quote(start=1, end=27, text="We will rebuild the bridge", open_mark="“", close_mark="”",\n'
              '      paragraph=0, mark_start=0, mark_end=29,\n'
              '      attribution=Attribution(speaker="Ana Ruiz", mention="Mayor Ana Ruiz", mention_start=35,\n'
              '                              cue="said", cue_start=30, method="cue"))'),
    "Attribution": ('Attribution(speaker="Ana Ruiz", mention="Mayor Ana Ruiz", mention_start=35,\n'
                    '            cue="said", cue_start=30, method="cue")'),
    "Alteration": 'Alteration(kind="insertion", start=10, end=18, text="[the bridge]")',
    "Span": "Span(1, 27)",
    "Paragraph": "Paragraph(index=0, start=0, end=50)",
    "MarkProblem": ('MarkProblem(kind="stray-space", offset=28, mark="”",\n'
                    '            message="stray space before closing mark ”")'),
    "Furniture": 'Furniture(start=0, end=24, kind="headline")',
    "Person": ('Person(name="Ana Ruiz", mentions=[(35, "Mayor Ana Ruiz")], pronouns=[(80, "she")],\n'
               '       title="Mayor")'),
    "Mention": 'Mention(start=41, end=49, text="Ana Ruiz", kind="name", paragraph=0, role="subject")',
    "RuleContext": "RuleContext(sources=None, registry=None, config=Config())",
    "Finding": ('Finding(rule="unexplained-anonymous-source", code="NX101", severity="warning",\n'
                '        message="quote attributed to an unnamed source", start=35, end=44,\n'
                '        speaker="officials")'),
    "Evidence": ('Evidence(path="council.gzt", line=4, column=11, text="The ferry budget will not rise this year.",\n'
                 '         speaker="Ana Ruiz", note="the source\'s words")'),
    "Fix": 'Fix(start=28, end=29, replacement="", description="remove the stray space")',
    "SourceFile": ('SourceFile(path="/desk/sources/council.gzt", kind="council-gazette",\n'
                   '           passages=[SourcePassage(path="/desk/sources/council.gzt", kind="council-gazette",\n'
                   '                                   text="We will not.", start=44, end=56, line=3, column=11,\n'
                   '                                   speaker="Ana Ruiz", speaker_mention="ANA RUIZ")],\n'
                   '           pronouns={"Ana Ruiz": {"she": 2}})'),
    "SourcePassage": ('SourcePassage(path="/desk/sources/council.gzt", kind="council-gazette", text="We will not.",\n'
                      '              start=44, end=56, line=3, column=11, speaker="Ana Ruiz",\n'
                      '              speaker_mention="ANA RUIZ")'),
    "SourceMatch": ('SourceMatch(passage=SourcePassage(path="/desk/sources/council.gzt", kind="council-gazette",\n'
                    '                                  text="We will not raise it this year.", start=44, end=74,\n'
                    '                                  line=3, column=11, speaker="Ana Ruiz"),\n'
                    '            score=0.92, text="We will not raise it this year.", line=3, column=11,\n'
                    '            edits=[WordEdit(op="replace", draft="month", source="year")])'),
    "WordEdit": 'WordEdit(op="replace", draft="month", source="year", touches=frozenset())',
    "Rule": ('Rule(name="unexplained-anonymous-source", code="NX101", severity="warning",\n'
             '     check=lambda doc, context: [])  # usually written with the @rule decorator'),
    "SourceFormat": ('SourceFormat(name="council-gazette", suffixes=(".gzt",),\n'
                     '             detect=lambda text: text.startswith("GAZETTE:"),\n'
                     '             load=lambda path, text: SourceFile(path=path, kind="council-gazette"))'),
    "Report": ('Report(files=[FileResult(Document("draft.txt", "No quotes here.\\n"))],\n'
               '       run=RunInfo("quotecheck", "0.1.0", "/desk", "/desk/quotecheck.toml"))'),
    "FileResult": 'FileResult(document=Document("draft.txt", "No quotes here.\\n"), findings=[], problems=[])',
    "Problem": ('Problem("plugin gazette_loader raised ValueError: no header", path="/desk/sources/a.gzt",\n'
                '        origin="plugin")'),
    "RunInfo": ('RunInfo(tool="quotecheck", version="0.1.0", working_directory="/desk",\n'
                '        configuration="/desk/quotecheck.toml",\n'
                '        rules=[RuleInfo("NX101", "unexplained-anonymous-source", "warning", "newsroom_example",\n'
                '                        "unexplained-anonymous-source (NX101)")])'),
    "RuleInfo": ('RuleInfo(code="NX101", name="unexplained-anonymous-source", severity="warning",\n'
                 '         plugin="newsroom_example", doc="unexplained-anonymous-source (NX101)\\n\\nWhat it does: ...")'),
}

# Imports that make every example above run (the page shows them once).
EXAMPLE_IMPORTS = """\
from quotecheck.config import Config
from quotecheck.model import (Alteration, Attribution, Document, Evidence, Finding, Fix, Furniture,
                              MarkProblem, Mention, Paragraph, Person, Quote, RuleContext, SourceFile,
                              SourceMatch, SourcePassage, Span, WordEdit)
from quotecheck.rules import Rule
from quotecheck.session import FileResult, Problem, Report, RuleInfo, RunInfo
from quotecheck.sources.formats import SourceFormat"""

INTRO = """\
# Reference for plugin authors

<!-- Generated by scripts/plugin_reference.py from quotecheck's code: do not
edit by hand. Change the hook's docstring, the field's comment or the rule's
documentation, then run `python scripts/plugin_reference.py docs/reference.md`.
tests/test_reference_docs.py fails while this page is out of date. -->

Every hook a plugin can implement, every value a hook receives or returns (with
each field, its type and what it means) and every rule quotecheck ships, read
from the code itself. [Writing a plugin](plugins.md) walks through whole
plugins; [the hook reference](hooks.md) says when each hook runs and how errors
are handled; [rule packs](rule-packs.md) need no Python at all.

The values a hook receives are quotecheck's live objects: read them, do not
change them. Findings (and, for loaders, source files) are how a plugin speaks.
"""

ANALYZE = """\
## Which analyze to call

A rule reads a `Document` that the pipeline has already been through: quotes
found, speakers attributed, people resolved. To build one in a test, there are
two functions with the same name:

| | what it does |
|-|-|
| **`Session().analyze([doc])`** — use this one | runs the pipeline the way `quotecheck check` does for that session: its spaCy model, the reporting verbs every plugin adds (`quotecheck_reporting_cues`, your own included when it is installed or named in the configuration) and the people registry's spellings |
| `quotecheck.engine.analyze([doc])` | the pipeline stage underneath: the default model, no plugin's verbs and no registry unless you pass them yourself (`extra_verbs=`, `registry=`, `model=`); its parameters are quotecheck's internals and may change |

Use **`Session.analyze`**: a rule's test then sees the document exactly as the
rule will see it in a newsroom's run, and `Session.from_config("quotecheck.toml")`
gives the desk's own configuration. Both change the documents in place and
cost the same (the model is loaded once per process).

```python
from quotecheck.model import Document, RuleContext
from quotecheck.session import Session

session = Session()                      # or Session.from_config("quotecheck.toml")
doc = Document("draft.txt", "“Nothing has changed,” officials said.\\n")
session.analyze([doc])
assert doc.quotes[0].attribution.speaker == "officials"
findings = list(MY_RULE.check(doc, RuleContext(config=session.config)))
```

`session.check(text)` goes one step further and runs every selected rule,
yours included, returning a `FileResult`.
"""


# -- reading the code -------------------------------------------------------------

def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _comments(source: str) -> dict[int, str]:
    """Line number (1-based, within ``source``) -> the comment on that line."""
    found = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            found[tok.start[0]] = tok.string.lstrip("#").strip()
    return found


def _comment_for(lines: list[str], comments: dict[int, str], first: int, last: int) -> str:
    """The comment beside a statement (lines ``first``..``last``), else the
    comment lines right above it."""
    beside = [comments[n] for n in range(first, last + 1) if n in comments]
    if beside:
        return " ".join(beside)
    above = []
    n = first - 1
    while n >= 1 and lines[n - 1].strip().startswith("#"):
        above.insert(0, comments.get(n, ""))
        n -= 1
    return " ".join(a for a in above if a)


def _docstring_meanings(doc: str) -> dict[str, str]:
    """``name``: meaning sentences in a class docstring (``SourceFormat``'s style)."""
    flat = " ".join(doc.split())
    found = {}
    head = r"``(\w+)(?:\([^)]*\))?(?: -> [^`]+)?``(?: \([^)]*\))?: "
    for m in re.finditer(head + r"(.+?)(?=\s" + head.replace("(\\w+)", "\\w+") + r"|$)", flat):
        found.setdefault(m.group(1), m.group(2).strip().rstrip(";").strip())
    return found


def _literal_values(name: str) -> tuple[str, ...] | None:
    vocab = importlib.import_module("quotecheck.vocab")
    alias = getattr(vocab, name, None)
    if alias is None or typing.get_origin(alias) is not typing.Literal:
        return None
    return typing.get_args(alias)


@dataclasses.dataclass
class FieldDoc:
    name: str
    type: str
    meaning: str
    values: tuple[str, ...] | None = None  # a closed vocabulary's words
    vocabulary: str | None = None  # its name in quotecheck/vocab.py


@dataclasses.dataclass
class MemberDoc:
    name: str
    signature: str
    meaning: str


@dataclasses.dataclass
class TypeDoc:
    cls: type
    fields: list[FieldDoc]
    members: list[MemberDoc]

    @property
    def name(self) -> str:
        return self.cls.__name__

    @property
    def dotted(self) -> str:
        return f"{self.cls.__module__}.{self.cls.__name__}"


def _class_source(cls) -> tuple[ast.ClassDef, list[str], dict[int, str], int]:
    source, start = inspect.getsourcelines(cls)
    text = textwrap.dedent("".join(source))
    tree = ast.parse(text).body[0]
    return tree, text.splitlines(), _comments(text), start


def _annotation_text(node) -> str:
    return ast.unparse(node) if node is not None else ""


def _vocabulary(cls_name: str, field: str, annotation: str) -> tuple[str | None, tuple[str, ...] | None]:
    name = VOCABULARY_FIELDS.get((cls_name, field))
    if name is None:  # a field annotated with a vocab.py Literal directly
        for word in re.findall(r"\w+", annotation):
            if _literal_values(word):
                name = word
                break
    values = _literal_values(name) if name else None
    return (name, values) if values else (None, None)


def _fields(cls) -> list[FieldDoc]:
    tree, lines, comments, _ = _class_source(cls)
    described = _docstring_meanings(inspect.getdoc(cls) or "")
    out: list[FieldDoc] = []
    if dataclasses.is_dataclass(cls):
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                name = node.target.id
                meaning = _comment_for(lines, comments, node.lineno, node.end_lineno) or described.get(name, "")
                annotation = _annotation_text(node.annotation)
                out.append(FieldDoc(name, annotation, meaning))
    else:  # a plain class: the attributes its __init__ sets
        init = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        params = {a.arg: _annotation_text(a.annotation) for a in [*init.args.args, *init.args.kwonlyargs]}
        seen = set()
        for node in ast.walk(init):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                            and not t.attr.startswith("_") and t.attr not in seen):
                        seen.add(t.attr)
                        annotation = (_annotation_text(node.annotation) if isinstance(node, ast.AnnAssign)
                                      else params.get(t.attr, ""))
                        prop = getattr(cls, t.attr, None)
                        if not annotation and isinstance(prop, property):
                            annotation = prop.fget.__annotations__.get("return", "")
                        meaning = _comment_for(lines, comments, node.lineno, node.end_lineno) or described.get(t.attr, "")
                        out.append(FieldDoc(t.attr, str(annotation), meaning))
        out.sort(key=lambda f: 0)  # keep the order of __init__
    for f in out:
        f.vocabulary, f.values = _vocabulary(cls.__name__, f.name, f.type)
    return out


def _members(cls, fields: list[FieldDoc]) -> list[MemberDoc]:
    names = {f.name for f in fields}
    out = []
    for name, value in cls.__dict__.items():
        if name.startswith("_") or name in names or name in PIPELINE_MEMBERS:
            continue
        if isinstance(value, property):
            ret = value.fget.__annotations__.get("return", "")
            doc = inspect.getdoc(value.fget) or ""
            out.append(MemberDoc(name, f"{name}" + (f" -> {ret}" if ret else ""), _first_line(doc)))
        elif inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
            fn = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
            sig = str(inspect.signature(fn)).replace("(self, ", "(").replace("(self)", "()")
            out.append(MemberDoc(name, f"{name}{_unquote(sig)}", _first_line(inspect.getdoc(fn) or "")))
    return out


def _first_line(doc: str) -> str:
    para = " ".join(doc.strip().split("\n\n")[0].split())
    return para


def _named_classes(cls) -> list[type]:
    """quotecheck classes named by ``cls``'s fields and properties."""
    module = sys.modules[cls.__module__]
    texts = [f.type for f in _fields(cls)]
    texts += [str(v.fget.__annotations__.get("return", "")) for v in cls.__dict__.values() if isinstance(v, property)]
    found = []
    for word in re.findall(r"[A-Z]\w+", " ".join(texts)):
        target = getattr(module, word, None)
        if inspect.isclass(target) and target.__module__.startswith("quotecheck") and (
                dataclasses.is_dataclass(target) or target.__module__ == "quotecheck.model"):
            found.append(target)
    return found


def documented_types() -> list[TypeDoc]:
    """Every root type and every quotecheck type reachable from them."""
    order: list[type] = []
    queue = [_resolve(r) for r in ROOTS]
    while queue:
        cls = queue.pop(0)
        if cls in order:
            continue
        order.append(cls)
        queue.extend(_named_classes(cls))
    docs = []
    for cls in order:
        fields = _fields(cls)
        docs.append(TypeDoc(cls, fields, _members(cls, fields)))
    return docs


@dataclasses.dataclass
class HookDoc:
    name: str
    arguments: list[str]
    firstresult: bool
    doc: str


def hooks() -> list[HookDoc]:
    """Every hook specification, in the order of quotecheck/hookspecs.py."""
    specs = importlib.import_module("quotecheck.hookspecs")
    found = []
    for name, fn in vars(specs).items():
        opts = getattr(fn, "quotecheck_spec", None)
        if opts is None or not inspect.isfunction(fn):
            continue
        found.append(HookDoc(name, list(inspect.signature(fn).parameters), bool(opts.get("firstresult")),
                             inspect.getdoc(fn) or ""))
    return found


def builtin_rules() -> list:
    """The RuleInfo of every rule quotecheck itself registers (installed
    plugins' rules are left out: the page must not depend on the machine)."""
    from quotecheck.session import Session
    with Session() as session:
        return [r for r in session.rule_info() if r.plugin.startswith("quotecheck.")]


# -- writing the page -------------------------------------------------------------

def _anchor(name: str) -> str:
    return name.lower()


def _cell(text: str) -> str:
    """One table cell: one line, reST's ``code`` as Markdown's `code`, pipes escaped."""
    return re.sub(r"``(.+?)``", r"`\1`", " ".join(text.split())).replace("|", "\\|")


def _unquote(text: str) -> str:
    """Annotations written as strings ('int', "Person | None") without their quotes."""
    return re.sub(r"""(['"])([\w\[\], |.]+)\1""", r"\2", text)


def _rest(text: str, known: set[str]) -> str:
    """A docstring's reST as Markdown: ``code``, :class:`~a.b.C` roles (a
    documented type becomes a link), ``::`` before a literal block."""
    def role(m):
        name = m.group(2).rsplit(".", 1)[-1]
        return f"[`{name}`](#{_anchor(name)})" if name in known else f"`{m.group(2)}`"
    text = re.sub(r":(\w+):`~?([\w.]+)`", role, text)
    text = re.sub(r"``(.+?)``", r"`\1`", text, flags=re.S)
    return re.sub(r"::$", ":", text, flags=re.M)


def _type_link(annotation: str, known: set[str]) -> str:
    annotation = _unquote(annotation)

    def link(m):
        word = m.group(0)
        return f"[{word}](#{_anchor(word)})" if word in known else word
    return re.sub(r"\b[A-Z]\w+\b", link, _cell(annotation))


def render() -> tuple[str, list[str]]:
    """The page, and what is missing from the code to write it fully (a field
    with no comment, a type with no example)."""
    types = documented_types()
    known = {t.name for t in types}
    missing: list[str] = []
    out = [INTRO, ANALYZE]

    hook_list = hooks()
    out.append("## Hooks\n")
    out.append("Implement a hook with a function of the same name decorated with `@hookimpl` "
               "(`from quotecheck.hookspecs import hookimpl`); it may take fewer arguments than the "
               "hook offers, never others. **firstresult**: the first implementation to return "
               "something other than `None` wins; otherwise every implementation is called and the "
               "results are combined as the hook says.\n")
    out.append("| hook | arguments | returns | firstresult |")
    out.append("|------|-----------|---------|-------------|")
    for h in hook_list:
        args = ", ".join(f"`{a}`: {_type_link(ARGUMENT_TYPES.get(a, '?'), known)}" for a in h.arguments) or "none"
        ret = _type_link(RETURN_TYPES.get(h.name, "see below"), known)
        out.append(f"| [`{h.name}`](#{_anchor(h.name)}) | {args} | {ret} | {'yes' if h.firstresult else 'no'} |")
    out.append("")
    for h in hook_list:
        out.append(f"### {h.name}\n")
        sig = ", ".join(f"{a}: {ARGUMENT_TYPES.get(a, 'object')}" for a in h.arguments)
        out.append("```python\n@hookimpl\n"
                   f"def {h.name}({sig}) -> {RETURN_TYPES.get(h.name, 'object')}\n```\n")
        for a in h.arguments:
            if a not in ARGUMENT_TYPES:
                missing.append(f"hook {h.name}: argument {a!r} has no type in ARGUMENT_TYPES")
        if h.name not in RETURN_TYPES:
            missing.append(f"hook {h.name}: no return type in RETURN_TYPES")
        args = ", ".join(f"`{a}` ({_type_link(ARGUMENT_TYPES.get(a, '?'), known)})" for a in h.arguments)
        out.append(f"- **Arguments:** {args or 'none'}")
        out.append(f"- **Returns:** {_type_link(RETURN_TYPES.get(h.name, 'see below'), known)}")
        out.append(f"- **firstresult:** {'yes: the first non-`None` answer wins' if h.firstresult else 'no: every implementation is called'}\n")
        out.append(_rest(h.doc, known) + "\n")

    out.append("## Types\n")
    out.append("The examples run with these imports:\n")
    out.append(f"```python\n{EXAMPLE_IMPORTS}\n```\n")
    out.append(" · ".join(f"[{t.name}](#{_anchor(t.name)})" for t in types) + "\n")
    for t in types:
        out.append(f"### {t.name}\n")
        out.append(f"`{t.dotted}`\n")
        out.append(_rest(" ".join((inspect.getdoc(t.cls) or "").split("\n\n")[0].split()), known) + "\n")
        out.append("| field | type | meaning |")
        out.append("|-------|------|---------|")
        for f in t.fields:
            if not f.meaning:
                missing.append(f"{t.name}.{f.name}: no comment says what it holds")
            meaning = _cell(f.meaning or "(undocumented)")
            if f.values:
                meaning = meaning.rstrip(".") + f". One of {', '.join(f'`{v}`' for v in f.values)} (`vocab.{f.vocabulary}`)."
            out.append(f"| `{f.name}` | {_type_link(f.type, known)} | {meaning} |")
        out.append("")
        if t.members:
            out.append("| property or method | meaning |")
            out.append("|--------------------|---------|")
            for m in t.members:
                if not m.meaning:
                    missing.append(f"{t.name}.{m.name}: no docstring says what it gives")
                out.append(f"| `{_cell(m.signature)}` | {_cell(m.meaning) or '—'} |")
            out.append("")
        example = EXAMPLES.get(t.name)
        if example is None:
            missing.append(f"{t.name}: no example in EXAMPLES")
        else:
            out.append(f"```python\n{example}\n```\n")

    out.append("## Rules quotecheck ships\n")
    out.append("The codes table, from the registered rules (`Session().rule_info()`). `QC0xx`: "
               "about the checking itself; `QC1xx`: the draft on its own; `QC2xx`: the draft against the "
               "sources. `quotecheck rules` lists them with the rules of installed plugins and packs; "
               "`quotecheck explain CODE` prints a rule's whole documentation.\n")
    out.append("| code | name | default severity | what it checks |")
    out.append("|------|------|------------------|----------------|")
    for r in builtin_rules():
        out.append(f"| {r.code} | `{r.name}` | {r.severity} | {_cell(r.summary)} |")
    out.append("")
    return "\n".join(out), missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="the page to write (docs/reference.md)")
    parser.add_argument("--check", action="store_true", help="only compare: exit 1 when the page is stale")
    args = parser.parse_args(argv)
    page, missing = render()
    for m in missing:
        print(f"plugin_reference: undocumented: {m}", file=sys.stderr)
    path = Path(args.output)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != page:
            print(f"plugin_reference: {path} is out of date: run python scripts/plugin_reference.py {path}",
                  file=sys.stderr)
            return 1
        return 1 if missing else 0
    path.write_text(page, encoding="utf-8")
    print(f"plugin_reference: wrote {path}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
