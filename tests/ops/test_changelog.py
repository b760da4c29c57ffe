"""CHANGELOG.md is built from conventional commits: what users notice, grouped by release."""

from __future__ import annotations

import subprocess

from tasks.changelog import CHANGELOG, ROOT, Commit, git_commits, render


def test_features_fixes_and_changes_are_grouped_and_the_rest_left_out() -> None:
    text = render(
        [
            Commit("feat(rooms): rooms expire after 24 hours"),
            Commit("fix: a taken port is one clear line"),
            Commit("perf(store): one lock for SQLite writers"),
            Commit("test(rooms): more properties"),
            Commit("ci: install the browser"),
            Commit("merge: media pipeline"),
            Commit("docs(ops): backup guide"),
        ]
    )
    unreleased = text.split("## [Unreleased]", 1)[1]
    assert "### Added\n\n- **rooms**: rooms expire after 24 hours\n" in unreleased
    assert "### Fixed\n\n- a taken port is one clear line\n" in unreleased
    assert "### Changed\n\n- **store**: one lock for SQLite writers\n" in unreleased
    assert "### Documentation\n\n- **ops**: backup guide\n" in unreleased
    assert "more properties" not in text
    assert "install the browser" not in text
    assert "media pipeline" not in text


def test_breaking_changes_are_called_out_and_tags_start_releases() -> None:
    text = render(
        [
            Commit("feat(protocol)!: hello carries the protocol version"),
            Commit("fix(auth): refresh rotates", tags=("v1.0.0",)),
            Commit("feat: first rooms"),
            Commit("feat: older", body="BREAKING CHANGE: the old form is gone", tags=("v0.9.0",)),
        ]
    )
    unreleased, released = text.split("## [v1.0.0]")
    assert "### Breaking\n\n- **protocol**: hello carries the protocol version\n" in unreleased
    v1, v09 = released.split("## [v0.9.0]")
    assert "- **auth**: refresh rotates" in v1
    assert "- first rooms" in v1
    assert "### Breaking\n\n- older\n" in v09


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_the_committed_changelog_is_what_the_history_said_when_it_was_written() -> None:
    """Nobody edits CHANGELOG.md by hand: each version of it is exactly what the
    generator makes of the commits up to the one that wrote it."""
    last = git("log", "-1", "--format=%H", "--", CHANGELOG.name).strip()
    assert last, "CHANGELOG.md was never committed"
    written = git("show", f"{last}:{CHANGELOG.name}")
    assert written == render(git_commits(last)), (
        f"CHANGELOG.md as of {last[:12]} is not what `python tasks/changelog.py` makes of"
        " the history: rewrite it and commit it as `chore(release): changelog`"
    )
