"""CHANGELOG.md from the conventional commits (spec 10.2.2, 10.2.4).

    python tasks/changelog.py            rewrite CHANGELOG.md from `git log`
    python tasks/changelog.py --check    exit 1 when CHANGELOG.md is not current

Commit the rewritten file as `chore(release): changelog`: a type the changelog
leaves out, so the file stays exactly what the history up to that commit says
(tests/ops/test_changelog.py checks that nobody edited it by hand since).

Commits since the newest `vX.Y.Z` tag go under "Unreleased"; each tag gets its
own section. Only what a user or an operator notices is listed: `feat` under
Added, `fix` under Fixed, `perf` and `refactor` under Changed, `docs` under
Documentation; tests, builds, CI, chores and merges are left out. A `!` after
the type or a `BREAKING CHANGE:` footer puts the commit under "Breaking" too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = ROOT / "CHANGELOG.md"

SECTIONS = {
    "feat": "Added",
    "fix": "Fixed",
    "perf": "Changed",
    "refactor": "Changed",
    "docs": "Documentation",
}
ORDER = ("Breaking", "Added", "Changed", "Fixed", "Documentation")
_SUBJECT = re.compile(r"^(?P<type>[a-z]+)(?:\((?P<scope>[^)]+)\))?(?P<bang>!)?: (?P<text>.+)$")
_TAG = re.compile(r"^v\d+\.\d+\.\d+$")

HEADER = """# Changelog

All notable changes to SyncWatch, grouped by release. Generated from the
conventional commit messages by `python tasks/changelog.py`; edit the commits'
wording, not this file.
"""


@dataclass(frozen=True, slots=True)
class Commit:
    subject: str
    body: str = ""
    tags: tuple[str, ...] = ()


def entry(commit: Commit) -> tuple[list[str], str] | None:
    """The sections a commit belongs to and its line, or None when users would not care."""
    found = _SUBJECT.match(commit.subject.strip())
    if found is None or found["type"] not in SECTIONS:
        return None
    scope = f"**{found['scope']}**: " if found["scope"] else ""
    line = f"- {scope}{found['text'].strip()}"
    sections = [SECTIONS[found["type"]]]
    if found["bang"] or "BREAKING CHANGE:" in commit.body:
        sections.insert(0, "Breaking")
    return sections, line


def render(commits: Iterable[Commit]) -> str:
    """Newest first: Unreleased, then one section per tag."""
    releases: list[tuple[str, dict[str, list[str]]]] = [("Unreleased", {})]
    for commit in commits:
        release_tags = [tag for tag in commit.tags if _TAG.match(tag)]
        if release_tags:
            releases.append((release_tags[0], {}))
        found = entry(commit)
        if found is None:
            continue
        sections, line = found
        for section in sections:
            releases[-1][1].setdefault(section, []).append(line)
    parts = [HEADER]
    for name, sections in releases:
        if not sections and name != "Unreleased":
            continue
        parts.append(f"\n## [{name}]\n")
        parts.extend(
            f"\n### {section}\n\n" + "\n".join(sections[section]) + "\n"
            for section in ORDER
            if section in sections
        )
    return "".join(parts)


def git_commits(revision: str = "HEAD") -> list[Commit]:
    """The history up to `revision`, newest first, with each commit's tags."""
    separator, end = "\x1f", "\x1e"
    output = subprocess.run(
        ["git", "log", f"--format=%s{separator}%b{separator}%D{end}", revision, "--"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commits = []
    for record in output.split(end):
        if not record.strip():
            continue
        subject, body, refs = [*record.strip("\n").split(separator), "", ""][:3]
        tags = tuple(ref.strip().removeprefix("tag: ") for ref in refs.split(",") if "tag: " in ref)
        commits.append(Commit(subject, body, tags))
    return commits


def main() -> int:
    text = render(git_commits())
    if "--check" in sys.argv[1:]:
        current = CHANGELOG.read_text(encoding="utf-8") if CHANGELOG.exists() else ""
        if current != text:
            print("CHANGELOG.md is not current: run python tasks/changelog.py")
            return 1
        print("CHANGELOG.md is current")
        return 0
    CHANGELOG.write_text(text, encoding="utf-8")
    print(f"wrote {CHANGELOG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
