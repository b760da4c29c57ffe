"""The automatic moderator of a room's chat: its rules, and how it escalates.

Owns `AutomodSettings` (on by default; the owner turns each rule on or off and
adjusts its threshold) and `Automod`, the room's memory of who wrote what
lately. Each message is judged against four rules:

- `repeats`: the same message (case and spacing aside) `repeat_limit` times
  within 60 s;
- `links`: more than `link_limit` links within 60 s (one message or several);
- `flood`: more than `flood_limit` messages within 10 s, well before the
  room's rate limit of 30 a minute refuses them;
- `blocklist`: a word or phrase of the instance's blocklist
  (`SYNCWATCH_AUTOMOD_BLOCKLIST`), matched on whole words after Unicode
  normalisation and case folding.

A message breaking a rule is a strike. Strikes within 10 minutes escalate:
the first warns the writer (the message goes out), the second hides the
message (only its writer sees it), the third and later also mute the
writer's chat for 5 minutes. A blocklisted word is hidden from the first
strike on: warning while everyone reads it would be too late. What the room
does with a verdict is in `chat`. Pure: time is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

AutomodRule = Literal["repeats", "links", "flood", "blocklist"]
AutomodAction = Literal["warn", "hide", "mute"]

REPEAT_WINDOW_MS = 60_000
LINK_WINDOW_MS = 60_000
FLOOD_WINDOW_MS = 10_000
STRIKE_WINDOW_MS = 10 * 60_000
AUTOMOD_MUTE_MS = 5 * 60_000
ESCALATION: tuple[AutomodAction, ...] = ("warn", "hide", "mute")
_LEAST_ACTION: Mapping[AutomodRule, AutomodAction] = {"blocklist": "hide"}
_REMEMBERED_MESSAGES = 64

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"\w+")

LIMITS = {"repeat_limit": (2, 10), "link_limit": (1, 20), "flood_limit": (3, 30)}
"""The bounds the owner may set each threshold within."""


@dataclass(frozen=True, slots=True)
class AutomodSettings:
    """The owner's choices (a value, kept in the room's snapshot)."""

    enabled: bool = True
    repeats: bool = True
    links: bool = True
    flood: bool = True
    blocklist: bool = True
    repeat_limit: int = 3
    link_limit: int = 3
    flood_limit: int = 10

    def applies(self, rule: AutomodRule) -> bool:
        return self.enabled and bool(getattr(self, rule))

    def changed(self, **changes: Any) -> AutomodSettings:
        """With the changes given (None leaves a setting as it is); thresholds are clamped
        to `LIMITS`."""
        values = {name: value for name, value in changes.items() if value is not None}
        for name, (low, high) in LIMITS.items():
            if name in values:
                values[name] = max(low, min(high, int(values[name])))
        return replace(self, **values)

    def to_json(self) -> dict[str, Any]:
        # Every field is a plain value: no need for `asdict`'s deep copy, which was half
        # the cost of the snapshot a room writes with every command.
        return {name: getattr(self, name) for name in _SETTINGS_FIELDS}

    @classmethod
    def from_json(cls, body: Mapping[str, Any] | None) -> AutomodSettings:
        known = set(cls.__dataclass_fields__)
        return cls().changed(**{k: v for k, v in (body or {}).items() if k in known})


_SETTINGS_FIELDS = tuple(field.name for field in fields(AutomodSettings))


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: AutomodRule
    action: AutomodAction


def normalise(text: str) -> str:
    """Compatibility-normalised (NFKC), case-folded: fullwidth `BAD` and `bad` are one word."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalise(text)))


class Blocklist:
    """Whole words and phrases; a phrase matches its words in a row."""

    def __init__(self, entries: Iterable[str]) -> None:
        phrases = {words(entry) for entry in entries}
        self._phrases = tuple(sorted(phrase for phrase in phrases if phrase))

    def __bool__(self) -> bool:
        return bool(self._phrases)

    def matches(self, text: str) -> bool:
        found = words(text)
        for phrase in self._phrases:
            size = len(phrase)
            if any(found[i : i + size] == phrase for i in range(len(found) - size + 1)):
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Written:
    at_ms: int
    text: str
    links: int


class Automod:
    """The room's memory of recent messages and strikes, per member."""

    def __init__(self, blocklist: Iterable[str] = ()) -> None:
        self._blocklist = Blocklist(blocklist)
        self._written: dict[str, deque[_Written]] = {}
        self._strikes: dict[str, deque[int]] = {}

    def judge(
        self, settings: AutomodSettings, participant_id: str, content: str, now_ms: int
    ) -> Verdict | None:
        """Remember the message and say what to do about it (None: nothing)."""
        written = self._recent(self._written, participant_id, now_ms - REPEAT_WINDOW_MS)
        text = " ".join(words(content)) or normalise(content).strip()
        links = len(_LINK.findall(content))
        written.append(_Written(now_ms, text, links))
        while len(written) > _REMEMBERED_MESSAGES:
            written.popleft()
        rule = self._broken_rule(settings, content, written, now_ms)
        if rule is None:
            return None
        strikes = self._recent(self._strikes, participant_id, now_ms - STRIKE_WINDOW_MS)
        strikes.append(now_ms)
        level = min(len(strikes), len(ESCALATION)) - 1
        least = _LEAST_ACTION.get(rule)
        if least is not None:
            level = max(level, ESCALATION.index(least))
        return Verdict(rule, ESCALATION[level])

    def _broken_rule(
        self, settings: AutomodSettings, content: str, written: deque[_Written], now_ms: int
    ) -> AutomodRule | None:
        latest = written[-1]
        if settings.applies("blocklist") and self._blocklist and self._blocklist.matches(content):
            return "blocklist"
        if settings.applies("links") and latest.links:
            recent_links = sum(w.links for w in written if w.at_ms > now_ms - LINK_WINDOW_MS)
            if recent_links > settings.link_limit:
                return "links"
        if settings.applies("repeats"):
            same = sum(1 for w in written if w.text == latest.text)
            if same >= settings.repeat_limit:
                return "repeats"
        if settings.applies("flood"):
            rapid = sum(1 for w in written if w.at_ms > now_ms - FLOOD_WINDOW_MS)
            if rapid > settings.flood_limit:
                return "flood"
        return None

    @staticmethod
    def _recent(table: dict[str, deque[Any]], participant_id: str, horizon_ms: int) -> deque[Any]:
        entries = table.setdefault(participant_id, deque())
        while entries and _at(entries[0]) <= horizon_ms:
            entries.popleft()
        return entries


def _at(entry: _Written | int) -> int:
    return entry.at_ms if isinstance(entry, _Written) else entry
