"""The room core keeps each object's fields its own (STYLE.md guideline 17).

A handler that needs a room's member, owner or rules asks for them through the
room's methods; one that wrote `room._owner_id` would break the invariants the
value objects keep. This reads the core's source and fails on any such reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import syncwatch.rooms.core

CORE = Path(syncwatch.rooms.core.__file__).parent


def private_reaches(source: str) -> list[str]:
    """`x._name` where x is not `self` or `cls` (dunders aside)."""
    return [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]


def test_the_check_sees_a_reach_into_another_objects_field() -> None:
    assert private_reaches("def f(room):\n    room._owner_id = 'x'\n") == ["line 2: ._owner_id"]
    assert private_reaches("class A:\n    def f(self):\n        self._x = 1\n") == []


def test_no_core_module_reads_or_writes_another_objects_private_fields() -> None:
    offenders = {
        path.name: reaches
        for path in sorted(CORE.glob("*.py"))
        if (reaches := private_reaches(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
