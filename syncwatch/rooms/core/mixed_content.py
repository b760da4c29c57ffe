"""Which media links a room accepts on its deployment: what the page's CSP allows.

A page served over https may not load plain http:// media: browsers block it as
mixed content, and our own CSP (`http/hygiene.py`) leaves http: out of
`media-src` there. So on an https deployment the room refuses an http:// video
or subtitle link when it is set, with the reason and what to do instead, rather
than let every member's player fail. A deployment served over http plays http
media (its CSP admits it). Pure.
"""

from __future__ import annotations

from syncwatch.errors import MixedContent

SUGGESTION = (
    "Use the https:// address of the same file if the site has one, or upload the video instead."
)


def refuse_mixed_content(url: str, *, https_only: bool, field: str) -> None:
    """Raise `MixedContent` for an http:// `url` when the deployment is https-only."""
    if https_only and url.lower().startswith("http://"):
        raise MixedContent(
            "This server is served over https, so browsers block video and subtitles from a "
            "plain http:// link (mixed content).",
            field=field,
            suggestion=SUGGESTION,
        )
