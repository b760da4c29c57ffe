"""Errors as RFC 9457 problem details."""

from __future__ import annotations

from syncwatch.errors import NotReady, RateLimited
from syncwatch.http.problems import problem_body


def test_extension_members_never_replace_the_standard_ones() -> None:
    body = problem_body(NotReady("Still processing.", status="processing", code="x", progress=5))

    assert (body["status"], body["code"], body["detail"]) == (409, "not_ready", "Still processing.")
    assert body["progress"] == 5


def test_a_not_ready_video_says_how_far_it_has_come_beside_the_status() -> None:
    body = problem_body(NotReady("Not yet.", videoStatus="processing", progress=40))

    assert body["status"] == 409
    assert (body["videoStatus"], body["progress"]) == ("processing", 40)


def test_a_rate_limit_carries_its_retry_after() -> None:
    assert problem_body(RateLimited(2.2))["retryAfter"] == 3
