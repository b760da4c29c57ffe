"""`SubtitleTrack`: one subtitle track of the room's source, as the room keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from syncwatch.protocol import server_messages as out


@dataclass(frozen=True, slots=True)
class SubtitleTrack:
    url: str
    label: str
    language: str | None = None

    def view(self) -> out.SubtitleTrackView:
        return out.SubtitleTrackView(url=self.url, label=self.label, language=self.language)
