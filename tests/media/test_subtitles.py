"""Subtitle files become clean WebVTT: SRT converted, VTT re-written, markup and
anything a browser could read as HTML gone, bad files refused with a reason."""

from __future__ import annotations

import pytest

from syncwatch.media.subtitles import (
    MAX_SUBTITLE_BYTES,
    Cue,
    SubtitleRejected,
    parse,
    render_webvtt,
    to_webvtt,
)

SRT = (
    "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> there\r\n\r\n"
    "2\r\n00:00:03,250 --> 00:00:05,000\r\nTwo lines\r\nof text\r\n\r\n"
)


def test_srt_becomes_webvtt_with_the_same_cues() -> None:
    assert to_webvtt(SRT.encode()) == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.500\nHello there\n\n"
        "00:00:03.250 --> 00:00:05.000\nTwo lines\nof text\n"
    )


def test_webvtt_is_rewritten_without_styles_notes_or_cue_settings() -> None:
    vtt = (
        "WEBVTT - a title\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\n\n"
        "intro\n00:01.000 --> 00:02.000 align:start line:0\n<v Bob>Fish &amp; chips</v>\n\n"
        "01:00:00.000 --> 01:00:01.500\n<c.yellow>late</c> &lt;3\n"
    )
    assert parse(vtt.encode()) == [
        Cue(1000, 2000, "Fish & chips"),
        Cue(3_600_000, 3_601_500, "late <3"),
    ]
    assert to_webvtt(vtt.encode()).endswith("01:00:00.000 --> 01:00:01.500\nlate &lt;3\n")


def test_markup_never_survives_into_cue_text() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\n"
        '<script>alert(1)</script><img src=x onerror=alert(2)><font color="red">red</font>\n\n'
        "2\n00:00:03,000 --> 00:00:04,000\n{\\an8}top & <b>bold</b> 1 < 2\n\n"
    )
    cues = parse(srt.encode())
    assert [cue.text for cue in cues] == ["alert(1)red", "top & bold 1 < 2"]
    vtt = render_webvtt(cues)
    assert "<" not in vtt.replace("&lt;", "")
    assert "top &amp; bold 1 &lt; 2" in vtt


def test_a_cue_cannot_end_itself_early_or_fake_a_timing_line() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nfirst --> second\n\x07bell\n\n"
    (cue,) = parse(srt.encode())
    assert cue.text == "first -> second\nbell"


def test_cues_come_out_in_start_order_and_empty_or_backwards_ones_are_dropped() -> None:
    srt = (
        "1\n00:00:05,000 --> 00:00:06,000\nlater\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nearlier\n\n"
        "3\n00:00:03,000 --> 00:00:02,000\nbackwards\n\n"
        "4\n00:00:04,000 --> 00:00:04,500\n<i></i>\n\n"
    )
    assert [cue.text for cue in parse(srt.encode())] == ["earlier", "later"]


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nCafé\n\n".encode("utf-8-sig"), "Café"),
        ("1\n00:00:01,000 --> 00:00:02,000\nCafé\n\n".encode("utf-16"), "Café"),
        ("1\n00:00:01,000 --> 00:00:02,000\nCafé\n\n".encode("cp1252"), "Café"),
    ],
)
def test_common_encodings_are_read(encoded: bytes, expected: str) -> None:
    assert parse(encoded)[0].text == expected


@pytest.mark.parametrize(
    "data",
    [b"", b"just some words\nno times here\n", b"\x00\x01\x02\xff" * 100, b"WEBVTT\n\n"],
)
def test_files_without_timed_lines_are_refused(data: bytes) -> None:
    with pytest.raises(SubtitleRejected) as refused:
        parse(data)
    assert refused.value.reason == "invalid_subtitles"


def test_an_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(SubtitleRejected) as refused:
        parse(b"x" * (MAX_SUBTITLE_BYTES + 1))
    assert refused.value.reason == "too_large"
