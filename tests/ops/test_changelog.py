"""CHANGELOG.md is built from conventional commits: what users notice, grouped by release."""

from __future__ import annotations

from tasks.changelog import Commit, render


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
