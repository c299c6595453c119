"""Source parsers: transcripts, subtitles and statements read into passages, and
the cheap guess of which kind a source file is."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotecheck.model import SourceFile
from quotecheck.sources._lines import LineIndex
from quotecheck.sources.formats import detect_kind
from quotecheck.sources.statement import parse_statement
from quotecheck.sources.subtitles import parse_subtitles
from quotecheck.sources.transcript import parse_transcript

SOURCES = Path(__file__).parent / "fixtures" / "sources"


def source_text(name: str) -> str:
    path = SOURCES / name
    assert path.is_file(), f"missing fixture {path}"
    return path.read_text(encoding="utf-8")


def summary(source: SourceFile) -> list[tuple[str | None, str | None, str]]:
    return [(p.speaker, p.speaker_mention, p.text) for p in source.passages]


def turn(source: SourceFile, prefix: str):
    matches = [p for p in source.passages if p.text.startswith(prefix)]
    assert len(matches) == 1, (prefix, [p.text for p in source.passages])
    return matches[0]


def assert_slices(source: SourceFile, text: str) -> None:
    index = LineIndex(text)
    for p in source.passages:
        assert text[p.start:p.end] == p.text
        assert (p.line, p.column) == index.position(p.start)


# -- transcripts -------------------------------------------------------------------

@pytest.fixture
def briefing():
    text = source_text("briefing_transcript.txt")
    return text, parse_transcript("briefing_transcript.txt", text)


def test_transcript_one_passage_per_turn_header_excluded(briefing):
    text, source = briefing
    assert source.kind == "transcript" and source.pronouns == {}
    assert [p.speaker_mention for p in source.passages] == [
        "Q", "VOLOSHYNA", "QUESTION", "Ms. Voloshyna", "REPORTER", "IRINA VOLOSHYNA"]
    assert not any("Press briefing" in p.text or "12:30" in p.text for p in source.passages)
    assert_slices(source, text)


def test_transcript_bracketed_timestamp_before_label(briefing):
    text, source = briefing
    q = source.passages[0]
    assert (q.text, q.speaker, q.speaker_mention) == ("Will the grain talks resume this week?", None, "Q")
    assert (q.start, q.line, q.column) == (text.index("Will the grain"), 4, 15)


def test_transcript_dash_timestamp_and_turn_over_paragraphs(briefing):
    text, source = briefing
    p = turn(source, "We expect them")
    assert p.text == ("We expect them to resume on Thursday.\nThe delegation is already in Geneva.\n\n"
                      "Nobody should read anything into the delay.")
    assert (p.line, p.column) == (6, 23)
    assert p.end == text.index("delay.") + len("delay.")


def test_transcript_parenthesised_and_fractional_timestamps(briefing):
    _, source = briefing
    assert turn(source, "Is the minister").speaker_mention == "QUESTION"
    assert turn(source, "He is not.").speaker_mention == "Ms. Voloshyna"


def test_transcript_note_line_is_not_a_speaker(briefing):
    _, source = briefing
    assert turn(source, "He is not.").text == "He is not.\nNote: the minister's schedule is published weekly."


def test_transcript_turn_starting_on_the_line_after_its_label(briefing):
    _, source = briefing
    p = turn(source, "What about")
    assert (p.speaker, p.speaker_mention, p.text, p.line, p.column) == (
        None, "REPORTER", "What about the ceasefire?", 17, 1)


def test_transcript_trailing_timestamp_and_end_mark_left_out(briefing):
    _, source = briefing
    assert source.passages[-1].text == "The ceasefire holds, and we intend to keep it that way."


def test_transcript_surname_label_resolves_to_full_name(briefing):
    _, source = briefing
    assert turn(source, "We expect them").speaker == "Irina Voloshyna"


def test_transcript_title_is_stripped_from_label(briefing):
    _, source = briefing
    assert turn(source, "He is not.").speaker == "Irina Voloshyna"


def test_transcript_upper_case_full_label_is_title_cased():
    text = "DMITRY ARKHIPOV: The plant will reopen.\nQ: When?\nARKHIPOV: Soon."
    source = parse_transcript("t.txt", text)
    assert summary(source) == [("Dmitry Arkhipov", "DMITRY ARKHIPOV", "The plant will reopen."),
                               (None, "Q", "When?"),
                               ("Dmitry Arkhipov", "ARKHIPOV", "Soon.")]


def test_transcript_surname_resolves_from_header_name():
    text = "Press briefing by Kremlin spokesman Dmitry Arkhipov\n\nARKHIPOV: No comment.\nQ: Why?\n"
    assert parse_transcript("t.txt", text).passages[0].speaker == "Dmitry Arkhipov"


def test_transcript_surname_shared_by_two_people_stays_a_surname():
    text = "Talks with Anna Kovac and Petra Kovac\n\nKOVAC: Yes.\nQ: And you?\nPETRA KOVAC: No."
    source = parse_transcript("t.txt", text)
    assert [p.speaker for p in source.passages] == ["Kovac", None, "Petra Kovac"]


def test_transcript_mixed_case_label():
    text = "Dmitry Arkhipov: The plant will reopen.\nMr. Arkhipov: In May."
    assert [p.speaker for p in parse_transcript("t.txt", text).passages] == ["Dmitry Arkhipov"] * 2


def test_transcript_answers_are_the_interviewee_named_in_the_header():
    text = source_text("interview_transcript.txt")
    source = parse_transcript("interview_transcript.txt", text)
    assert summary(source) == [
        (None, "Q", "Why did the ferry fares go up?"),
        ("Tomas Brennan", "A", "Fuel costs doubled in a year. We held prices as long as we could."),
        (None, "Q", "Will they come down again?"),
        ("Tomas Brennan", "A", "Not before the spring."),
    ]
    assert_slices(source, text)


@pytest.mark.parametrize("header", ["Q&A with Anna Kovac", "In conversation with Dr. Anna Kovac",
                                    "Interview with Anna Kovac, Harbour Authority"])
def test_transcript_interviewee_header_forms(header):
    source = parse_transcript("t.txt", f"{header}\n\nQ: Ready?\nA: Yes.")
    assert [p.speaker for p in source.passages] == [None, "Anna Kovac"]


def test_transcript_numbered_speakers_are_turns_without_a_name():
    text = "Speaker 1: We start now.\nSpeaker 2: Agreed.\n"
    source = parse_transcript("t.txt", text)
    assert summary(source) == [(None, "Speaker 1", "We start now."), (None, "Speaker 2", "Agreed.")]


def test_transcript_windows_line_endings_keep_offsets():
    text = "Interview with Anna Kovac\r\n\r\nQ: Ready?\r\nA: Yes,\r\nfully.\r\n"
    source = parse_transcript("t.txt", text)
    assert summary(source) == [(None, "Q", "Ready?"), ("Anna Kovac", "A", "Yes,\r\nfully.")]
    assert (source.passages[1].line, source.passages[1].column) == (4, 4)
    assert_slices(source, text)


def test_transcript_answers_without_a_named_interviewee_have_no_speaker():
    source = parse_transcript("t.txt", "Q: Ready?\nA: Yes.")
    assert [p.speaker for p in source.passages] == [None, None]


def test_transcript_colons_and_clock_times_in_prose_are_not_labels():
    text = source_text("lowercase_prose_transcript.txt")
    source = parse_transcript("lowercase_prose_transcript.txt", text)
    okafor = turn(source, "Thank you.")
    assert okafor.text == ("Thank you. The results surprised us: the vaccine worked in every group.\n"
                           "The trial ends at 14:45 on Friday: nobody expected that.")
    assert okafor.speaker == "Lena Okafor"
    assert len(source.passages) == 4


def test_transcript_role_labels_and_interpreter_note():
    text = source_text("lowercase_prose_transcript.txt")
    source = parse_transcript("lowercase_prose_transcript.txt", text)
    assert turn(source, "Welcome back.").speaker is None  # a host is no named speaker
    mild = turn(source, "Mild ones")
    assert (mild.speaker, mild.speaker_mention) == ("Lena Okafor", "MS. OKAFOR (via interpreter)")


def test_transcript_without_labels_has_no_passages():
    assert parse_transcript("t.txt", "Just a paragraph: nothing more.\n").passages == []


# -- subtitles ---------------------------------------------------------------------

@pytest.fixture
def vtt():
    text = source_text("briefing.vtt")
    return text, parse_subtitles("briefing.vtt", text)


def test_webvtt_voice_cues_merge_across_cue_boundaries(vtt):
    text, source = vtt
    first = source.passages[0]
    assert first.text == ("We will not raise fares again this year,\n"
                          "and that is a promise & a plan.\n"
                          "whatever the fuel price does.")
    assert (first.speaker, first.speaker_mention) == ("Tomas Brennan", "Tomas Brennan")
    assert (first.start, first.line, first.column) == (text.index("We will not"), 11, 18)
    assert first.end == text.index("does.") + len("does.")


def test_webvtt_header_note_and_style_blocks_are_skipped(vtt):
    _, source = vtt
    assert not any("Captions" in p.text or "cue" in p.text or "WEBVTT" in p.text for p in source.passages)


def test_webvtt_reporter_voice_has_no_speaker(vtt):
    _, source = vtt
    reporter = turn(source, "And next year?")
    assert (reporter.speaker, reporter.speaker_mention) == (None, "Reporter")


def test_webvtt_class_tags_stripped_and_surname_voice_resolved(vtt):
    _, source = vtt
    p = turn(source, "Next year is")
    assert (p.text, p.speaker, p.speaker_mention) == ("Next year is another matter.", "Tomas Brennan", "Brennan")


def test_webvtt_malformed_timing_skips_the_cue_and_breaks_the_voice(vtt):
    _, source = vtt
    assert not any("cannot be placed" in p.text for p in source.passages)
    last = source.passages[-1]
    assert (last.text, last.speaker, last.line, last.column) == ("Thank you all for coming.", None, 30, 1)


def test_webvtt_two_voices_in_one_cue():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Reporter>Why?</v> <v Anna Kovac>Because.</v>\n"
    assert summary(parse_subtitles("x.vtt", text)) == [(None, "Reporter", "Why?"),
                                                       ("Anna Kovac", "Anna Kovac", "Because.")]


def test_webvtt_header_without_cues_is_not_an_error():
    assert parse_subtitles("x.vtt", "WEBVTT\n\nNOTE nothing here\n").passages == []


def test_srt_name_prefix_and_continuation_cue():
    text = source_text("speech.srt")
    source = parse_subtitles("speech.srt", text)
    first = source.passages[0]
    assert (first.speaker, first.speaker_mention) == ("Tomas Brennan", "BRENNAN")
    assert first.text == "The harbour will stay open through the winter.\nWe have hired forty new staff."
    assert (first.line, first.column) == (3, 10)


def test_srt_dash_lines_are_separate_speakers():
    source = parse_subtitles("speech.srt", source_text("speech.srt"))
    assert summary(source)[1:3] == [(None, "REPORTER", "How will you pay for them?"),
                                    (None, None, "From the port levy.")]


def test_srt_dash_name_font_tag_and_voice_tag_merge():
    text = source_text("speech.srt")
    last = parse_subtitles("speech.srt", text).passages[-1]
    assert (last.speaker, last.speaker_mention, last.text) == (
        "Tomas Brennan", "Brennan", "Every penny of it.\nNext question.")
    assert last.start == text.index("Every penny")


def test_srt_without_names_merges_with_no_speaker():
    text = source_text("unnamed.srt")
    source = parse_subtitles("unnamed.srt", text)
    assert summary(source) == [(None, None, "The storm closed the port for two days\n"
                                            "and the ferries stayed in dock.")]
    assert (source.passages[0].line, source.passages[0].column) == (3, 1)


def test_srt_colon_in_ordinary_words_is_not_a_name():
    text = "1\n00:00:01,000 --> 00:00:02,000\nYes: that is right.\n"
    assert summary(parse_subtitles("x.srt", text)) == [(None, None, "Yes: that is right.")]


def test_srt_missing_blank_line_between_cues():
    text = ("1\n00:00:01,000 --> 00:00:02,000\nANNA KOVAC: One.\n"
            "2\n00:00:02,000 --> 00:00:03,000\n- Q: Two?\n")
    assert summary(parse_subtitles("x.srt", text)) == [("Anna Kovac", "ANNA KOVAC", "One."),
                                                       (None, "Q", "Two?")]


# -- statements --------------------------------------------------------------------

def test_statement_by_header_with_role_and_boilerplate_skipped():
    text = source_text("ministry_statement.txt")
    source = parse_statement("ministry_statement.txt", text)
    assert source.kind == "statement"
    assert summary(source) == [
        ("Tomas Brennan", "Harbour Authority chief executive Tomas Brennan",
         "Fares on all routes will stay at their current level until March.\n"
         "No passenger will pay more this winter."),
        ("Tomas Brennan", "Harbour Authority chief executive Tomas Brennan",
         "The authority has absorbed the rise in fuel costs."),
    ]
    assert (source.passages[0].line, source.passages[0].column) == (6, 1)
    assert_slices(source, text)


def test_statement_from_organisation_one_line_paragraphs():
    text = source_text("organisation_statement.txt")
    source = parse_statement("organisation_statement.txt", text)
    assert summary(source) == [
        ("Ministry of Coastal Affairs", "the Ministry of Coastal Affairs",
         "The ministry has opened an inquiry into the collision."),
        ("Ministry of Coastal Affairs", "the Ministry of Coastal Affairs",
         "Divers will survey the wreck on Monday."),
    ]


def test_statement_front_matter_speaker():
    text = source_text("front_matter_statement.txt")
    source = parse_statement("front_matter_statement.txt", text)
    assert [p.speaker for p in source.passages] == ["Irina Voloshyna"] * 2
    assert source.passages[0].text == "The ministry rejects the report in full."
    assert (source.passages[0].line, source.passages[0].column) == (6, 1)


def test_statement_configured_speaker_overrides_the_header():
    source = parse_statement("s.txt", source_text("ministry_statement.txt"), speaker="Aoife Daly")
    assert {p.speaker for p in source.passages} == {"Aoife Daly"}


def test_statement_said_in_a_statement_header():
    source = parse_statement("s.txt", source_text("said_in_statement.txt"))
    assert summary(source) == [("Tomas Brennan", "Tomas Brennan", "The harbour will reopen at dawn.")]


@pytest.mark.parametrize("header, speaker", [
    ("Statement of Dr. Lena Okafor on the trial results", "Lena Okafor"),
    ("Speaker: Anna Kovac", "Anna Kovac"),
    ("From: Kremlin spokesman Dmitry Arkhipov", "Dmitry Arkhipov"),
    ("## Statement from the Kremlin", "Kremlin"),
])
def test_statement_header_forms(header, speaker):
    source = parse_statement("s.txt", f"{header}\n\nWe stand by the decision.\n")
    assert summary(source)[0][0::2] == (speaker, "We stand by the decision.")
    assert len(source.passages) == 1


def test_statement_without_speaker_keeps_passages():
    source = parse_statement("s.txt", "The port reopens today.\n\nShips may dock from noon.")
    assert summary(source) == [(None, None, "The port reopens today."), (None, None, "Ships may dock from noon.")]


def test_statement_headline_is_not_a_header():
    source = parse_statement("s.txt", "Statement by Brennan sparks outrage\n\nCouncillors walked out.")
    assert [p.speaker for p in source.passages] == [None, None]


# -- detect_kind -------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("briefing.vtt", "subtitles"),
    ("speech.srt", "subtitles"),
    ("briefing_transcript.txt", "transcript"),
    ("interview_transcript.txt", "transcript"),
    ("lowercase_prose_transcript.txt", "transcript"),
    ("ministry_statement.txt", "statement"),
    ("organisation_statement.txt", "statement"),
    ("front_matter_statement.txt", "statement"),
    ("said_in_statement.txt", "statement"),
    ("news_article.txt", "article"),
])
def test_detect_kind_by_content(name, kind):
    assert detect_kind("source.txt", source_text(name)) == kind


def test_detect_kind_by_subtitle_extension():
    assert detect_kind("clip.SRT", "") == "subtitles"
    assert detect_kind("clip.vtt", "no cues at all") == "subtitles"


def test_detect_kind_article_with_colons_and_a_short_exchange():
    # Two labelled lines and colons in prose do not make a news story a transcript.
    text = source_text("news_article.txt")
    assert text.count("\nREPORTER:") == 1 and ": " in text
    assert detect_kind("news.txt", text) == "article"


def test_detect_kind_said_in_statement_later_in_article_is_article():
    text = ("Ferries stop for winter\n\nThe Harbour Authority cut sailings on Monday.\n\n"
            "Tomas Brennan said in a statement:\n\n\"The sea is too rough.\"\n")
    assert detect_kind("news.txt", text) == "article"


# -- robustness --------------------------------------------------------------------

PIECES = ["\n", "\n\n", " ", ":", "Q: ", "A:", "PESKOV: ", "Mr. Peskov:", "[00:01:23] ", "00:01:23 - ",
          "(01:23)", "12:30", "WEBVTT", "NOTE", "-->", "00:00:01.000 --> 00:00:02.000", "00:00:01,000",
          "<v Anna Kovac>", "<v.loud X>", "</v>", "<i>", "&amp;", "&bogus;", "- ", "1\n", "---\n",
          "speaker: Anna\n", "Statement by ", "the Ministry of Defence", "###", "-30-", "END",
          "said in a statement:", "Contact:", "a@b.co", "\r\n", "\t", "word", "Ünïcode", "“", "é"]
any_text = st.one_of(st.text(max_size=300),
                     st.lists(st.sampled_from(PIECES), max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_parsers_never_crash_and_offsets_are_honest(text):
    index = LineIndex(text)
    assert detect_kind("x.txt", text) in ("subtitles", "transcript", "statement", "article")
    for parse in (parse_transcript, parse_statement):
        source = parse("x.txt", text)
        for p in source.passages:
            assert 0 <= p.start < p.end <= len(text)
            assert text[p.start:p.end] == p.text == p.text.strip()
            assert (p.line, p.column) == index.position(p.start)
    for p in parse_subtitles("x.vtt", text).passages:
        assert 0 <= p.start <= p.end <= len(text)
        assert p.text and (p.line, p.column) == index.position(p.start)
