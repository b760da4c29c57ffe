"""WebSocket close codes are defined once, and every error names the one it closes with."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import syncwatch
from syncwatch import errors
from syncwatch.close_codes import CloseCode

SOURCE = Path(syncwatch.__file__).parent


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.Unauthorized, 4001),
        (errors.InvalidToken, 4001),
        (errors.Forbidden, 4003),
        (errors.WrongPassword, 4003),
        (errors.Banned, 4003),
        (errors.OriginNotAllowed, 4003),
        (errors.RoomNotFound, 4004),
        (errors.BadMessage, 4008),
        (errors.ValidationFailed, 4008),
        (errors.RoomFull, 4009),
        (errors.ServiceUnavailable, 1012),
        (errors.SyncWatchError, 1011),
    ],
)
def test_each_refusal_closes_a_socket_with_the_code_the_contract_gives_it(
    error: type[errors.SyncWatchError], code: int
) -> None:
    assert error.close_code == code


def test_rate_limits_close_for_policy() -> None:
    assert errors.RateLimited(3).close_code == CloseCode.POLICY == 4008


def bare_close_codes(source: str) -> list[int]:
    """Integer literals in the source that are close codes written as numbers."""
    codes = {int(code) for code in CloseCode if code != CloseCode.NORMAL}
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value in codes
    ]


def test_the_check_finds_a_close_code_written_as_a_number() -> None:
    assert bare_close_codes("socket.close(4008)\nbuffer = 4096\n") == [4008]


def test_no_module_writes_a_close_code_as_a_bare_number() -> None:
    found = {
        str(path.relative_to(SOURCE)): numbers
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "close_codes.py"
        and (numbers := bare_close_codes(path.read_text(encoding="utf-8")))
    }
    assert found == {}
