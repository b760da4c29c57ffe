"""Does a backup hold everything a ready video needs to play?

Follows the HLS master playlist to its variant playlists and their segments,
as a player would, and names every file the backup lacks. Reads files from
the backup's media directory (blocking: run it in a worker thread).
"""

from __future__ import annotations

import posixpath
from pathlib import Path


def playlist_uris(text: str) -> list[str]:
    """The URIs a playlist names: every line that is neither blank nor a tag."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def resolve(playlist_key: str, uri: str) -> str:
    """A relative URI in the playlist at `playlist_key`, as a storage key."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(playlist_key), uri))


def missing_hls_files(master_key: str, keys: set[str], media_directory: Path) -> list[str]:
    if master_key not in keys:
        return [master_key]
    missing: list[str] = []
    master = (media_directory / master_key).read_text(encoding="utf-8")
    for variant_uri in playlist_uris(master):
        variant_key = resolve(master_key, variant_uri)
        if variant_key not in keys:
            missing.append(variant_key)
            continue
        variant = (media_directory / variant_key).read_text(encoding="utf-8")
        missing += [
            segment_key
            for segment_key in (resolve(variant_key, uri) for uri in playlist_uris(variant))
            if segment_key not in keys
        ]
    return missing
