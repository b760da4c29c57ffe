"""Every developer entry point. `./dev <command>` bootstraps nox and calls these.

nox -s serve        run the app on embedded defaults (builds the web app if needed)
nox -s quick        the inner loop: lint, types, schema and the Python tests without browsers
                    or slow tests (`./dev -s quick -- tests/rooms` narrows the tests)
nox -s tests        the Python suite: unit, PostgreSQL/Redis integration, browser end-to-end
nox -s image        only the container image test: build with podman, run as the README says
nox -s web          npm ci, build, vitest
nox -s lint         ruff
nox -s typecheck    mypy --strict on syncwatch/
nox -s schema       the protocol JSON Schema is current
nox -s bench -- rooms|joins|drift|transcode|voice|backup|failover
nox -s fuzz         schemathesis over the OpenAPI document, 100,000 generated WebSocket frames
nox -s lock         regenerate requirements/constraints.txt
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
WEB = ROOT / "web"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
MINIMUM_PYTHON = (3, 11)
LINTED = ("syncwatch", "tests", "tasks", "noxfile.py")


def session_python() -> str:
    """The interpreter every session runs on.

    The one running nox when it is new enough (`./dev` runs nox on the Python
    that started it), otherwise any Python >= 3.11 nox finds. Never one fixed
    minor version: a machine with only 3.12 or 3.13 must run the suite, and a
    machine without a suitable Python must fail it, never skip it.
    """
    if sys.version_info >= MINIMUM_PYTHON:
        return sys.executable
    return ">={}.{}".format(*MINIMUM_PYTHON)


PYTHON = session_python()

nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "schema", "web", "tests"]
# A session whose interpreter is missing fails the run (nox's default would
# skip it and exit 0 having tested nothing) ...
nox.options.error_on_missing_interpreters = True
# ... and nox never downloads a Python of its own to get around that.
nox.options.download_python = "never"


def install(session: nox.Session, *extras: str) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    args = ["-e", target]
    if CONSTRAINTS.exists():
        args = ["-c", str(CONSTRAINTS), *args]
    session.install(*args)


def web_sources_newer_than_build() -> bool:
    dist_index = WEB / "dist" / "index.html"
    if not dist_index.exists():
        return True
    built = dist_index.stat().st_mtime
    watched = [WEB / "package-lock.json", WEB / "index.html", WEB / "vite.config.ts"]
    watched += [p for p in (WEB / "src").rglob("*") if p.is_file()]
    watched += (
        [p for p in (WEB / "public").rglob("*") if p.is_file()] if (WEB / "public").exists() else []
    )
    return any(p.exists() and p.stat().st_mtime > built for p in watched)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Run SyncWatch on http://127.0.0.1:8000 with embedded defaults."""
    install(session)
    build_web(session)
    session.run("syncwatch", "serve", *session.posargs)


def build_web(session: nox.Session, *, force: bool = False) -> None:
    if not (WEB / "package.json").exists():
        return
    with session.chdir(WEB):
        if force or not (WEB / "node_modules").exists():
            session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
        if force or web_sources_newer_than_build():
            session.run("npm", "run", "build", external=True)


# Cheap argon2 parameters: hashing cost is not what the tests check.
TEST_ENV = {
    "SYNCWATCH_ARGON2_TIME_COST": "1",
    "SYNCWATCH_ARGON2_MEMORY_KIB": "1024",
    "SYNCWATCH_ARGON2_PARALLELISM": "1",
}


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole Python suite (needs PostgreSQL and Redis; CI=true makes them mandatory)."""
    install(session, "test")
    build_web(session)
    # Includes tests/ops/test_image.py, which builds the container image with podman.
    session.run("pytest", *session.posargs, env=TEST_ENV)


@nox.session(python=PYTHON, default=False)
def quick(session: nox.Session) -> None:
    """The inner loop, in one environment: lint, types, generated files, and the
    Python tests that need no browser and are not marked slow. Arguments after
    `--` go to pytest (`./dev -s quick -- tests/rooms -x`)."""
    install(session, "test", "dev")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)
    session.run("lint-imports")
    session.run("mypy")
    session.run("python", "tasks/protocol_schema.py", "--check")
    session.run("python", "tasks/openapi.py", "--check")
    session.run("pytest", "-m", "not browser and not slow", *session.posargs, env=TEST_ENV)


@nox.session(python=PYTHON, default=False)
def image(session: nox.Session) -> None:
    """Build the image (local base images where no registry answers) and run it as the
    README's "One container" section says: tests/ops/test_image.py (needs podman)."""
    install(session, "test")
    session.run("pytest", "-m", "image", "tests/ops/test_image.py", *session.posargs, env=TEST_ENV)


@nox.session(python=PYTHON)
def web(session: nox.Session) -> None:
    """Install, build and unit-test the browser app."""
    if not (WEB / "package.json").exists():
        session.skip("no web app yet")
    build_web(session, force=True)
    with session.chdir(WEB):
        session.run("npm", "run", "lint", external=True)
        session.run("npm", "test", external=True)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    install(session, "dev")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)
    # The package architecture (pyproject [tool.importlinter], ADR 0007).
    session.run("lint-imports")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    install(session, "dev", "test")
    session.run("mypy")


@nox.session(python=PYTHON)
def schema(session: nox.Session) -> None:
    """The checked-in protocol JSON Schema and OpenAPI document match the models."""
    install(session)
    session.run("python", "tasks/protocol_schema.py", "--check")
    session.run("python", "tasks/openapi.py", "--check")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks under tasks/: `nox -s bench -- rooms` (or joins, drift, transcode, voice, backup,
    failover)."""
    install(session, "test")
    if not session.posargs:
        session.error("name a benchmark: rooms, joins, drift, transcode, voice, backup or failover")
    name, *rest = session.posargs
    script = ROOT / "tasks" / f"bench_{name}.py"
    if not script.exists():
        session.error(f"no benchmark {name!r} (looked for {script.relative_to(ROOT)})")
    session.run("python", str(script), *rest)


@nox.session(python=PYTHON, default=False)
def fuzz(session: nox.Session) -> None:
    """Generated abuse, at length: schemathesis over the OpenAPI document (thousands of
    cases, both databases) and 100,000 WebSocket frames beside a well-behaved room.
    tests/fuzz prints what the server answered and how late the room's commands were;
    the normal suite runs the same tests briefly."""
    install(session, "test")
    scale = {
        "SYNCWATCH_FUZZ_FRAMES": "100000",
        "SYNCWATCH_FUZZ_SIDE_ROOMS": "12",
        "SYNCWATCH_FUZZ_HTTP_EXAMPLES": "100",
        "SYNCWATCH_FUZZ_HTTP_DATABASES": "sqlite,postgresql",
        "SYNCWATCH_FUZZ_WS_DATABASES": "postgresql",
        "SYNCWATCH_FUZZ_LOG_LEVEL": "warning",
    }
    # Any of them already set wins, so a long run can go in parts (another seed
    # each): SYNCWATCH_FUZZ_FRAMES=50000 SYNCWATCH_FUZZ_SEED=13 nox -s fuzz -- <test> -s
    scale = {name: os.environ.get(name, value) for name, value in scale.items()}
    args = session.posargs or ["tests/fuzz", "-s", "-p", "no:cacheprovider"]
    session.run("pytest", *args, env={**TEST_ENV, **scale})


@nox.session(python=PYTHON)
def lock(session: nox.Session) -> None:
    """Regenerate the constraints file from pyproject.toml."""
    session.install("pip-tools>=7.4")
    CONSTRAINTS.parent.mkdir(exist_ok=True)
    session.run(
        "pip-compile",
        "--quiet",
        "--strip-extras",
        "--allow-unsafe",
        "--extra",
        "test",
        "--extra",
        "dev",
        "--output-file",
        str(CONSTRAINTS),
        "pyproject.toml",
        env={"CUSTOM_COMPILE_COMMAND": "nox -s lock"},
    )


os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
