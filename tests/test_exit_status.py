"""``check``'s exit statuses for hooks and CI (``--fail-on``, ``--exit-zero``,
``--exit-non-zero-on-fix``) and ``--statistics``."""
from __future__ import annotations

from quotecheck.cli import main

WARNING_DRAFT = "“We will rebuild the bridge by June, ” said Mayor Ana Ruiz.\n"  # QC101, a warning
ERROR_DRAFT = "“We will rebuild the bridge by June, said Mayor Ana Ruiz.\n"  # QC101 unclosed: an error
CLEAN_DRAFT = "“We will rebuild the bridge by June,” said Mayor Ana Ruiz.\n"
# A quote the sources do not hold: quote-unverified, an info finding.
UNVERIFIED_DRAFT = "“The ferry will run all winter,” said Harbour Master Ilse Brandt.\n"
SOURCE = "“The new pier opens in May,” said Harbour Master Ilse Brandt.\n"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_fail_on_sets_the_severity_that_fails(capsys, nlp, tmp_path):
    warn, error = tmp_path / "warn.txt", tmp_path / "error.txt"
    warn.write_text(WARNING_DRAFT, encoding="utf-8")
    error.write_text(ERROR_DRAFT, encoding="utf-8")
    assert run(capsys, "check", warn)[0] == 1  # default: warning fails
    assert run(capsys, "check", "--fail-on", "error", warn)[0] == 0
    assert run(capsys, "check", "--fail-on", "error", error)[0] == 1
    code, out, _ = run(capsys, "check", "--exit-zero", error)
    assert code == 0 and "QC101" in out  # shown, not failing


def test_info_findings_are_shown_but_do_not_fail_by_default(capsys, nlp, tmp_path):
    draft, source = tmp_path / "draft.txt", tmp_path / "wire.txt"
    draft.write_text(UNVERIFIED_DRAFT, encoding="utf-8")
    source.write_text(SOURCE, encoding="utf-8")
    code, out, _ = run(capsys, "check", draft, "--source", source)
    assert out.strip() == f"{draft}:1:2: QC204 [quote-unverified] info: no source holds this quote" and code == 0
    assert run(capsys, "check", draft, "--source", source, "--fail-on", "info")[0] == 1


def test_errors_exit_2_whatever_the_fail_level(capsys, nlp, tmp_path):
    code, _, err = run(capsys, "check", "--exit-zero", tmp_path / "missing.txt")
    assert code == 2 and "missing.txt" in err


def test_exit_non_zero_on_fix_fails_when_a_file_was_changed(capsys, nlp, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(CLEAN_DRAFT, encoding="utf-8")
    args = ("check", "--pack", "us-wire", "--select", "UW002", "--fix")
    assert run(capsys, *args, draft)[0] == 0  # fixed, nothing left: clean
    draft.write_text(CLEAN_DRAFT, encoding="utf-8")
    assert run(capsys, *args, "--exit-non-zero-on-fix", draft)[0] == 1
    assert draft.read_text(encoding="utf-8") == CLEAN_DRAFT.replace("“", '"').replace("”", '"')
    assert run(capsys, *args, "--exit-non-zero-on-fix", draft)[0] == 0  # nothing more to fix


def test_statistics_count_per_rule(capsys, nlp, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(WARNING_DRAFT, encoding="utf-8")
    b.write_text(WARNING_DRAFT + "\n" + ERROR_DRAFT, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--statistics", a, b)
    stats = out.splitlines()[-2:]
    assert stats == ["    3  QC101   unbalanced-quote-marks", "    3  total"], out


def test_the_configured_index_is_checked(capsys, nlp, tmp_path):
    # `index = …` in the configuration is used by `check` (an altered quote
    # must not pass with exit 0 because only --index was read).
    (tmp_path / "wire.txt").write_text(SOURCE, encoding="utf-8")
    index = tmp_path / "shared.sqlite"
    assert run(capsys, "index", "add", "--index", index, tmp_path / "wire.txt")[0] == 0
    (tmp_path / "quotecheck.toml").write_text('index = "shared.sqlite"\n', encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("“The new pier opens in June,” said Harbour Master Ilse Brandt.\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", draft)
    assert "QC201 [quote-altered]" in out and "May → June" in out and code == 1


def test_an_index_that_is_not_one_is_refused_and_left_alone(capsys, nlp, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(CLEAN_DRAFT, encoding="utf-8")
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "check", draft, "--index", empty)
    assert code == 2 and f"{empty}: not a quotecheck index (not an SQLite file, it is empty)" in err
    assert empty.read_bytes() == b""  # nothing written into it


def test_an_empty_directory_is_said_not_silently_passed(capsys, nlp, tmp_path):
    (tmp_path / "drafts").mkdir()
    code, _, err = run(capsys, "check", tmp_path / "drafts")
    assert code == 2 and "drafts: no drafts here" in err


def test_an_unknown_format_is_refused_before_the_model_loads(capsys, tmp_path, monkeypatch):
    import quotecheck.session as session

    def no_model(*a, **kw):
        raise AssertionError("the model was loaded before the format was checked")

    monkeypatch.setattr(session, "analyze", no_model)
    draft = tmp_path / "draft.txt"
    draft.write_text(CLEAN_DRAFT, encoding="utf-8")
    code, _, err = run(capsys, "check", "--format", "nonesuch", draft)
    assert code == 2 and "--format 'nonesuch': no such output format" in err and "sarif" in err
