"""Blocking calls leave the event loop only through `run_blocking`, each family
under its own limiter."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import trio

from syncwatch.blocking import DEFAULT_CAPACITY, run_blocking

PACKAGE = Path(__file__).resolve().parents[1] / "syncwatch"
# Ways into a worker thread that bypass the named limiters.
BYPASSES = {"to_thread", "Path", "open_file", "wrap_file"}


def test_no_module_but_blocking_reaches_a_worker_thread_by_itself() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "blocking.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in BYPASSES
                and isinstance(node.value, ast.Name)
                and node.value.id == "trio"
            ):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} trio.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module in {"trio", "trio.to_thread"}:
                names = {alias.name for alias in node.names}
                if node.module == "trio.to_thread" or names & BYPASSES:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} import")
    assert found == [], "use syncwatch.blocking.run_blocking instead:\n" + "\n".join(found)


async def test_a_saturated_family_never_holds_up_another() -> None:
    capacity = DEFAULT_CAPACITY["files"]
    running, most, lock = 0, 0, threading.Lock()
    full, release = threading.Event(), threading.Event()

    def slow_disk() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            if running == capacity:
                full.set()
        release.wait(timeout=10)
        with lock:
            running -= 1

    async with trio.open_nursery() as nursery:
        for _ in range(capacity + 3):
            nursery.start_soon(run_blocking, "files", slow_disk)
        with trio.fail_after(5):
            saturated = await run_blocking("database", full.wait, 5)
            answer = await run_blocking("database", lambda: 42)
        release.set()

    assert saturated
    assert answer == 42
    assert most == capacity
