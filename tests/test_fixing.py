"""Safe fixes: applied all-or-nothing per finding, overlaps skipped, written atomically."""
from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotecheck.fixing import apply_fixes, unified_diff, write_atomically
from quotecheck.model import Document, Finding, Fix
from quotecheck.quotes import find_quotes
from quotecheck.reading import InputError, read_document

DRAFT = ('The council met on Monday.\n\n"We cannot wait another year," said Vadim Denisenko.\n\n'
         '" The people have waited long enough," Ana Ruiz said. "Every winter the ice takes more."\n')
CURLY = ('The council met on Monday.\n\n“We cannot wait another year,” said Vadim Denisenko.\n\n'
         '“ The people have waited long enough,” Ana Ruiz said. “Every winter the ice takes more.”\n')


def curly_marks(text: str) -> list[Finding]:
    """Stand-in for the mark-style rule: straight double marks become curly ones."""
    doc = Document("d.txt", text)
    find_quotes(doc)
    return [Finding("mark-style", "XX101", "info", "straight quote marks", q.outer_start, q.outer_end,
                    quote=q, fixes=[Fix(q.mark_start, q.mark_start + 1, "“", "opening mark"),
                                    Fix(q.mark_end - 1, q.mark_end, "”", "closing mark")])
            for q in doc.quotes
            if q.open_mark == '"' and q.close_mark == '"' and q.mark_start is not None and q.mark_end is not None]


def stray_spaces(text: str) -> list[Finding]:
    """Stand-in for a spacing rule: `" The` becomes `"The`, rewriting the mark with
    the space (so it overlaps the mark-style fix of the same mark)."""
    doc = Document("d.txt", text)
    find_quotes(doc)
    out = []
    for p in doc.mark_problems:
        if p.kind == "stray-space" and text[p.offset + 1] == " ":
            out.append(Finding("mark-spacing", "XX102", "info", p.message, p.offset, p.offset + 2,
                               fixes=[Fix(p.offset, p.offset + 2, p.mark, "drop the space")]))
    return out


def finding(*fixes: tuple[int, int, str], start: int | None = None) -> Finding:
    edits = [Fix(a, b, r) for a, b, r in fixes]
    first = min(a for a, _, _ in fixes)
    return Finding("r", "XX1", "info", "m", first if start is None else start, first, fixes=edits)


# --- apply_fixes ---------------------------------------------------------------------------

def test_apply_makes_every_fix():
    findings = curly_marks(DRAFT)
    assert len(findings) == 3
    new, applied, skipped = apply_fixes(DRAFT, findings)
    assert new == CURLY
    assert applied == findings and skipped == []


def test_findings_without_fixes_are_in_neither_list():
    plain = Finding("r", "XX1", "info", "m", 0, 3)
    assert apply_fixes("abc", [plain]) == ("abc", [], [])


def test_overlap_the_earlier_finding_wins_and_the_other_is_skipped():
    early, late = finding((2, 5, "X")), finding((4, 6, "Y"))
    for order in ([early, late], [late, early]):
        new, applied, skipped = apply_fixes("0123456789", order)
        assert new == "01X56789"
        assert applied == [early] and skipped == [late]


def test_a_findings_fixes_are_all_or_nothing():
    early = finding((3, 4, "A"))
    late = finding((5, 6, "B"), (3, 4, "C"), (8, 9, "D"), start=5)  # one fix collides
    new, applied, skipped = apply_fixes("0123456789", [late, early])
    assert new == "012A456789"
    assert applied == [early] and skipped == [late]


@pytest.mark.parametrize("a, b", [((3, 3, "x"), (3, 3, "y")), ((3, 3, "x"), (3, 5, "y")),
                                  ((5, 5, "x"), (3, 5, "y"))])
def test_an_insertion_touching_another_edit_conflicts(a, b):
    for first, second in ((a, b), (b, a)):
        _, applied, skipped = apply_fixes("0123456789", [finding(first, start=0), finding(second, start=1)])
        assert [f.fixes[0].replacement for f in applied] == [first[2]] and len(skipped) == 1


def test_adjacent_edits_do_not_conflict():
    new, applied, skipped = apply_fixes("0123456789", [finding((2, 4, "ab")), finding((4, 6, "cd"))])
    assert new == "01abcd6789" and skipped == []


def test_the_same_edit_from_two_findings_is_made_once():
    a, b = finding((1, 2, "X")), finding((1, 2, "X"))
    new, applied, skipped = apply_fixes("0123", [a, b])
    assert new == "0X23" and applied == [a, b] and skipped == []


@pytest.mark.parametrize("fixes", [[(8, 12, "x")], [(3, 2, "x")], [(-1, 1, "x")], [(1, 3, "x"), (2, 4, "y")]])
def test_impossible_fixes_are_skipped(fixes):
    bad = finding(*fixes)
    assert apply_fixes("0123456789", [bad]) == ("0123456789", [], [bad])


def unique_fixes(findings: list[Finding]) -> list[Fix]:
    seen = {(x.start, x.end, x.replacement): x for f in findings for x in f.fixes}
    return sorted(seen.values(), key=lambda x: (x.start, x.end))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab“”\"\n ", max_size=40),
       st.lists(st.lists(st.tuples(st.integers(0, 45), st.integers(0, 6), st.text(alphabet="XY“", max_size=3)),
                         min_size=1, max_size=3), max_size=6))
def test_only_text_inside_the_applied_spans_changes(text, raw):
    findings = [Finding("r", "XX1", "info", "m", fixes[0][0], fixes[0][0],
                        fixes=[Fix(a, a + n, r) for a, n, r in fixes]) for fixes in raw]
    new, applied, skipped = apply_fixes(text, findings)
    assert len(applied) + len(skipped) == len(findings)
    # Walk both texts: every character between the applied edits is the same.
    old_pos = new_pos = 0
    for x in unique_fixes(applied):
        gap = x.start - old_pos
        assert new[new_pos:new_pos + gap] == text[old_pos:x.start]
        new_pos += gap
        assert new[new_pos:new_pos + len(x.replacement)] == x.replacement
        new_pos += len(x.replacement)
        old_pos = x.end
    assert new[new_pos:] == text[old_pos:]


def test_fixing_twice_changes_nothing_more():
    once, _, _ = apply_fixes(DRAFT, curly_marks(DRAFT))
    assert curly_marks(once) == []
    twice, applied, skipped = apply_fixes(once, curly_marks(once) + stray_spaces(once))
    assert twice == once.replace("“ The", "“The")  # the spacing rule still had work
    thrice, applied, skipped = apply_fixes(twice, curly_marks(twice) + stray_spaces(twice))
    assert thrice == twice and applied == skipped == []


def test_a_skipped_fix_is_picked_up_by_the_next_run():
    text = DRAFT
    runs = []
    for _ in range(4):
        new, applied, skipped = apply_fixes(text, curly_marks(text) + stray_spaces(text))
        runs.append((len(applied), len(skipped)))
        text = new
    assert runs[0][1] == 1  # the spacing fix lost to the mark fix on the same mark
    assert runs[-1] == runs[-2] == (0, 0)
    assert text == CURLY.replace("“ The", "“The")


# --- unified_diff ---------------------------------------------------------------------------

def test_unified_diff_looks_like_git_diff():
    old = "one\ntwo\nthree\n"
    new = "one\n2\nthree\n"
    assert unified_diff("./drafts/story.md", old, new) == (
        "--- a/drafts/story.md\n+++ b/drafts/story.md\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n")


def test_unified_diff_marks_a_missing_final_newline():
    assert unified_diff("s.txt", "a\nb", "a\nc") == (
        "--- a/s.txt\n+++ b/s.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n")


def test_unified_diff_of_equal_texts_is_empty():
    assert unified_diff("s.txt", CURLY, CURLY) == ""


# --- write_atomically ------------------------------------------------------------------------

def fix_file(path) -> tuple[str, str]:
    doc = read_document(str(path))
    new, _, _ = apply_fixes(doc.text, curly_marks(doc.text))
    write_atomically(str(path), new, doc.text)
    return doc.text, new


def leftovers(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != "story.txt")


def test_write_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(DRAFT, encoding="utf-8")
    os.chmod(path, 0o640)
    fix_file(path)
    assert path.read_text(encoding="utf-8") == CURLY
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_bom_and_crlf_are_kept(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbf" + DRAFT.replace("\n", "\r\n").encode("utf-8"))
    old, new = fix_file(path)
    assert not old.startswith("\ufeff")  # decode dropped it; the write puts it back
    assert path.read_bytes() == b"\xef\xbb\xbf" + CURLY.replace("\n", "\r\n").encode("utf-8")


def test_a_bare_newline_from_a_fix_becomes_crlf_in_a_crlf_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"one\r\ntwo\r\n")
    write_atomically(str(path), "one\r\nnew\nline\r\ntwo\r\n", "one\r\ntwo\r\n")
    assert path.read_bytes() == b"one\r\nnew\r\nline\r\ntwo\r\n"


def test_lf_file_stays_lf(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(DRAFT.encode("utf-8"))
    fix_file(path)
    assert b"\r" not in path.read_bytes()


def test_failed_replace_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "story.txt"
    path.write_text(DRAFT, encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="story.txt: cannot write: No space left on device"):
        fix_file(path)
    assert path.read_text(encoding="utf-8") == DRAFT
    assert leftovers(tmp_path) == []


def test_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "story.txt"
    path.write_text(DRAFT, encoding="utf-8")
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        fix_file(path)
    assert path.read_text(encoding="utf-8") == DRAFT
    assert leftovers(tmp_path) == []


def test_a_file_edited_meanwhile_is_left_alone(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(DRAFT, encoding="utf-8")
    doc = read_document(str(path))
    new, _, _ = apply_fixes(doc.text, curly_marks(doc.text))
    edited = DRAFT + "A late paragraph the editor just added.\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(InputError, match=r"story\.txt: changed on disk"):
        write_atomically(str(path), new, doc.text)
    assert path.read_text(encoding="utf-8") == edited
    assert leftovers(tmp_path) == []


def test_an_edit_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    path = tmp_path / "story.txt"
    path.write_text(DRAFT, encoding="utf-8")
    edited = DRAFT + "Saved by the editor while the fixes were being written.\n"
    real_fsync = os.fsync

    def fsync_while_the_editor_saves(fd):
        real_fsync(fd)
        path.write_text(edited, encoding="utf-8")

    monkeypatch.setattr(os, "fsync", fsync_while_the_editor_saves)
    with pytest.raises(InputError, match=r"story\.txt: changed on disk while"):
        fix_file(path)
    assert path.read_text(encoding="utf-8") == edited
    assert leftovers(tmp_path) == []


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="gone.txt: cannot read"):
        write_atomically(str(tmp_path / "gone.txt"), "new", "old")


def test_a_symlink_is_written_through(tmp_path):
    real = tmp_path / "story.txt"
    real.write_text(DRAFT, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    fix_file(link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == CURLY
