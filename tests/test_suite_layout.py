"""Test helpers are imported one way: from `tests.support`, never from a test
module, a conftest or a file found through pytest's path insertion."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, "." * node.level + (node.module or "")))
    return found


def test_helpers_come_only_from_tests_support() -> None:
    local_modules = {path.stem for path in TESTS.rglob("*.py")} - {"__init__"}
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in _imports(path):
            first = module.split(".")[0]
            if module.startswith("."):
                wrong.append((path, line, module, "a relative import"))
            elif first == "tests" and not module.startswith("tests.support"):
                wrong.append((path, line, module, "not under tests.support"))
            elif first in local_modules:
                wrong.append((path, line, module, "found only through sys.path"))
    listed = "\n".join(f"{p.relative_to(TESTS.parent)}:{n} {m} ({why})" for p, n, m, why in wrong)
    assert not wrong, "import helpers from tests.support:\n" + listed


def test_support_holds_helpers_not_tests() -> None:
    assert SUPPORT.is_dir()
    assert not list(SUPPORT.glob("test_*.py"))
    assert not (TESTS / "fixtures").exists()
