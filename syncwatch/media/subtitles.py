"""Subtitle files: SubRip or WebVTT in, one clean WebVTT out.

Owns what a subtitle track SyncWatch serves may contain: cues with a start
before their end, within the size limits below, whose text is plain text. The
input is parsed by pysubs2 (lenient with the SRT and VTT found in the wild);
markup of any kind (`<i>`, `<font>`, `<script>`, ASS overrides, VTT classes
and voices) is dropped, and the output escapes `&`, `<` and `>` as WebVTT
requires, so a browser never meets cue text that could be read as HTML. Pure:
bytes in, text out; storing the result is the caller's.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass
from typing import Literal

import pysubs2

# A long film's subtitles are ~100-300 kB; anything near this is not subtitles.
MAX_SUBTITLE_BYTES = 1024 * 1024
MAX_CUES = 20_000
# Characters of text in one cue (a cue is a line or two on screen).
MAX_CUE_CHARS = 1_000
# Text subtitle codecs ffmpeg can turn into WebVTT; bitmap ones (PGS, DVD, DVB) cannot.
TEXT_SUBTITLE_CODECS = frozenset({"subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"})

SUBTITLE_CONTENT_TYPE = "text/vtt; charset=utf-8"

SubtitleFormat = Literal["srt", "vtt"]

_TAG = re.compile(r"<[^>\n]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class SubtitleRejected(Exception):
    """The file is not a subtitle track we serve. `reason`: `too_large`, `invalid_subtitles`."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def decode(data: bytes) -> str:
    """Text of a subtitle file: UTF-8 (with or without a BOM) or UTF-16 with a BOM;
    anything else is taken as Windows-1252, the usual encoding of older SRT files."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_format(text: str, filename: str | None = None) -> SubtitleFormat:
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        return "vtt"
    if filename and filename.lower().endswith(".vtt"):
        return "vtt"
    return "srt"


def clean_text(raw: str, *, source_format: SubtitleFormat) -> str:
    """Plain cue text: no markup, no control characters, no blank lines (a blank
    line ends a WebVTT cue) and no `-->` (which would start a timing line)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _TAG.sub("", text)
    if source_format == "vtt":
        text = html.unescape(text)  # WebVTT escapes & < > as entities; SRT is plain text
    text = _CONTROL.sub("", text).replace("-->", "->")
    text = _BLANK_LINES.sub("\n", text).strip()
    return text[:MAX_CUE_CHARS]


def parse(data: bytes, *, filename: str | None = None) -> list[Cue]:
    """The cues of an SRT or WebVTT file, in start order, or `SubtitleRejected`."""
    if len(data) > MAX_SUBTITLE_BYTES:
        raise SubtitleRejected(
            "too_large", f"Subtitle files may be at most {MAX_SUBTITLE_BYTES // 1024} KiB."
        )
    text = decode(data)
    source_format = detect_format(text, filename)
    try:
        parsed = pysubs2.SSAFile.from_string(text, format_=source_format)
    except (pysubs2.Pysubs2Error, ValueError) as error:
        raise SubtitleRejected(
            "invalid_subtitles", "The file is neither SubRip (.srt) nor WebVTT (.vtt)."
        ) from error
    cues = []
    for event in parsed:
        if event.is_comment:
            continue
        start, end = max(0, int(event.start)), int(event.end)
        cue_text = clean_text(event.plaintext, source_format=source_format)
        if end > start and cue_text:
            cues.append(Cue(start, end, cue_text))
    if not cues:
        raise SubtitleRejected("invalid_subtitles", "The file has no timed subtitle lines.")
    if len(cues) > MAX_CUES:
        raise SubtitleRejected("too_large", f"A subtitle track may have at most {MAX_CUES} lines.")
    return sorted(cues, key=lambda cue: (cue.start_ms, cue.end_ms))


def _timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_webvtt(cues: list[Cue]) -> str:
    blocks = [
        f"{_timestamp(cue.start_ms)} --> {_timestamp(cue.end_ms)}\n{_escape(cue.text)}"
        for cue in cues
    ]
    return "\n\n".join(["WEBVTT", *blocks]) + "\n"


def to_webvtt(data: bytes, *, filename: str | None = None) -> str:
    """Any accepted subtitle file as clean WebVTT text."""
    return render_webvtt(parse(data, filename=filename))
