"""Drift benchmark: three headless Chromium pages in one room, how far apart are they?

    nox -s bench -- drift [--seconds 60] [--modes loopback,proxy]
                          [--controllers syncwatch,timingsrc,tuned] [--repeat 1]
                          [--json out.json]
                          [--tuning '{"deadBandMs": 20}']

For each network mode (plain loopback; every page's WebSocket through
tasks/latency_proxy.py at 50 ms ± 10 ms each way) and each controller
(SyncWatch's own, in the real app; timingsrc, in a page built from the app's
clock, player and timeline code with only the control loop swapped, see
tasks/drift_timingsrc/harness.ts), three pages join one room and play a
generated HLS clip while the owner seeks and changes the rate. Every presented
frame (requestVideoFrameCallback) is recorded in the pages, then:

- inter-client drift: at each 20 ms instant, the widest gap between the three
  pages' positions (same machine, so their local clocks are one clock);
  p50 / p95 / max over the steady state (outside STEADY_AFTER_MS after the start
  and after each command);
- error vs timeline: each frame's media time minus the room's position from the
  states the page received and the page's own clock offset estimate;
- re-convergence: after each seek, the time from the seek taking effect until the
  drift stays within 20 ms for a second (the goal: ≤ 1 s);
- recovery: after each disturbance of one page (a pipeline stall, its media
  clock 3 % fast for 1.5 s, its main thread blocked for 0.6 s; see
  `rig.disturb` in tasks/browser_probe.js), the time from its end until the
  drift stays within 20 ms for a second (the goal: ≤ 1 s);
- corrections: seeks and switches away from the room's rate, per minute per
  page, in the steady state.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks import browser_rig
from tasks.drift_analysis import (
    Summary,
    converged_at,
    corrections,
    frame_errors,
    outside,
    percentile,
    spread_series,
)
from tasks.hls_clip import make_hls_clip

TIMINGSRC = Path(__file__).resolve().parent / "drift_timingsrc"
PAGES = 3
STEADY_AFTER_MS = 5000
CONVERGED_WITHIN_MS = 20
RECOVERED_WITHIN_S = 1
# `--trace DIR`: every session's raw records (frames, media events, states) go there.
TRACE_DIR: Path | None = None
# (seconds after play, request, data): two seeks and two rate changes by the
# owner, then disturbances of the last page ("disturb" is no request: the page
# disturbs its own playback behind the app's back).
SCRIPT: list[tuple[float, str, dict[str, Any]]] = [
    (14, "sync:seek", {"targetMediaTimeMs": 25_000}),
    (26, "sync:rate", {"rate": 1.25}),
    (38, "sync:seek", {"targetMediaTimeMs": 10_000}),
    (46, "sync:rate", {"rate": 1}),
    (52, "disturb", {"kind": "stall", "ms": 0}),
    (58, "disturb", {"kind": "fast", "ms": 1500}),
    (64, "disturb", {"kind": "busy", "ms": 600}),
]
RUN_SECONDS = 70
# Positions come from presented frames, so drift is measured in whole frames:
# 60 fps makes that 16.7 ms (30 fps, 33.3 ms, could not tell 10 ms from 30 ms).
FRAME_RATE = 60
# The timingsrc page is answered by Playwright's router, not by the network: it
# has no address, Chromium counts it as public, and Local Network Access then
# refuses its socket to 127.0.0.1. The app's own pages come from the server and
# need no such flag.
HARNESS_CHROMIUM_ARGS = ("--disable-features=LocalNetworkAccessChecks",)
# Candidate constants for web/src/sync/driftController.ts (HTML5_TUNING), run in
# the harness page by the app's own SyncEngine: `--tuning '{"deadBandMs": 40}'`
# measures a change before it is made. Without --tuning, the shipped constants.
TUNED: dict[str, Any] = {}
# Controllers other than "syncwatch" (the real app) run in the harness page.
HARNESS_QUERY: dict[str, dict[str, str]] = {
    "timingsrc": {"controller": "timingsrc"},
    "engine": {"controller": "engine"},
    "tuned": {"controller": "engine", "tuning": json.dumps(TUNED)},
}


@dataclass(frozen=True, slots=True)
class Result:
    mode: str
    controller: str
    drift: Summary
    error: Summary
    reconvergence_ms: list[float | None]
    recovery_ms: dict[str, list[float | None]]
    corrections_per_minute: float
    steady_seconds: float


def bundle_timingsrc(out_dir: Path) -> Path:
    """npm ci (when needed) and esbuild the timingsrc harness into `out_dir`."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to bundle timingsrc")
    if not (TIMINGSRC / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=TIMINGSRC, check=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(TIMINGSRC / "node_modules" / ".bin" / "esbuild"),
            "harness.ts",
            "--bundle",
            "--format=iife",
            "--target=es2020",
            "--log-level=warning",
            f"--outfile={out_dir / 'harness.js'}",
        ],
        cwd=TIMINGSRC,
        check=True,
    )
    (out_dir / "index.html").write_text(
        '<!doctype html><html><body style="margin:0;background:#000">'
        '<video playsinline style="width:640px;height:360px"></video>'
        '<script src="harness.js"></script></body></html>'
    )
    return out_dir


class LatencyProxy:
    def __init__(self, target_port: int) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("latency_proxy.py")),
                *("--target", f"127.0.0.1:{target_port}", "--delay-ms", "50", "--jitter-ms", "10"),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.port = int(line.rsplit(" ", 1)[1])

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def open_pages(
    browser: Any, base_url: str, controller: str, media: Path, harness: Path, proxy_port: int | None
) -> tuple[list[Any], list[Any], str]:
    contexts, tokens = [], []
    suffix = str(time.time_ns())[-9:]
    for index in range(PAGES):
        context = browser.new_context(viewport={"width": 800, "height": 600})
        browser_rig.install_probe(context, proxy_port=proxy_port)
        browser_rig.serve_directory(context, "e2e-media", media)
        browser_rig.serve_directory(context, "bench-timingsrc", harness)
        signed_up = browser_rig.register_in_context(context, base_url, f"b{index}x{suffix}")
        contexts.append(context)
        tokens.append(signed_up["accessToken"])
    room = browser_rig.create_room_in_context(contexts[0], base_url, tokens[0], name="Drift bench")
    pages = []
    for context, token in zip(contexts, tokens, strict=True):
        page = context.new_page()
        if controller == "syncwatch":
            page.goto(f"{base_url}/r/{room['code']}")
        else:
            query = urlencode({"room": room["code"], "token": token, **HARNESS_QUERY[controller]})
            page.goto(f"{base_url}/bench-timingsrc/index.html?{query}")
        page.wait_for_function("() => window.__rig && window.__rig.openSockets() > 0")
        pages.append(page)
    return contexts, pages, room["code"]


def run_session(
    browser: Any, base_url: str, controller: str, media: Path, harness: Path,
    proxy_port: int | None,
) -> Measured:  # fmt: skip
    contexts, pages, _code = open_pages(browser, base_url, controller, media, harness, proxy_port)
    try:
        owner = pages[0]
        owner.evaluate(
            "(url) => window.__rig.send('sync:source', {sourceType: 'url', url})",
            f"{base_url}/e2e-media/clip.m3u8",
        )
        for page in pages:
            page.wait_for_function(
                "() => window.__syncwatch && window.__syncwatch.playerKind === 'hls'",
                timeout=30_000,
            )
        time.sleep(2)  # let the clock estimators finish their first bursts
        for page in pages:
            page.evaluate("() => window.__rig.drain()")
        owner.evaluate("() => window.__rig.send('sync:play', {})")
        started = time.monotonic()
        frames: list[list[dict[str, Any]]] = [[] for _ in pages]
        events: list[list[dict[str, Any]]] = [[] for _ in pages]
        states: list[list[dict[str, Any]]] = [[] for _ in pages]
        disturbances: list[dict[str, Any]] = []
        pending = list(SCRIPT)
        while (elapsed := time.monotonic() - started) < RUN_SECONDS:
            if pending and elapsed >= pending[0][0]:
                _, request, data = pending.pop(0)
                if request == "disturb":
                    pages[-1].evaluate(
                        "([k, ms]) => window.__rig.disturb(k, ms)", [data["kind"], data["ms"]]
                    )
                else:
                    owner.evaluate("([t, d]) => window.__rig.send(t, d)", [request, data])
            for index, page in enumerate(pages):
                drained = page.evaluate("() => window.__rig.drain()")
                frames[index] += drained["frames"]
                events[index] += drained["mediaEvents"]
                states[index] = drained["states"]
                if index == len(pages) - 1:
                    disturbances = drained["disturbances"]
            time.sleep(0.5)
        if TRACE_DIR is not None:
            TRACE_DIR.mkdir(parents=True, exist_ok=True)
            raw = {"frames": frames, "events": events, "states": states}
            trace = TRACE_DIR / f"session-{time.time_ns()}.json"
            trace.write_text(json.dumps({**raw, "disturbances": disturbances}))
        return measure(frames, events, states, disturbances)
    finally:
        for context in contexts:
            context.close()


@dataclass(frozen=True, slots=True)
class Measured:
    """One session's steady-state samples, before they are pooled with other runs."""

    drift: list[float]
    errors: list[float]
    reconvergence_ms: list[float | None]
    recovery_ms: dict[str, list[float | None]]
    corrections: int
    steady_ms: float
    pages: int


def measure(
    frames: list[list[dict[str, Any]]],
    events: list[list[dict[str, Any]]],
    states: list[list[dict[str, Any]]],
    disturbances: list[dict[str, Any]] | None = None,
) -> Measured:
    # Commands in the owner's view, on the local clock (one machine: server time ≈ local time,
    # corrected by the owner's own offset estimate).
    offset = frames[0][-1]["offset"] if frames[0] else 0.0
    commands = [
        (entry["effectiveAt"] - offset, entry)
        for entry in states[0]
        if entry["type"] in ("PLAY", "SEEK", "SET_RATE", "PAUSE")
    ]
    start = min(at for at, _ in commands)
    end = max(f["at"] for page in frames for f in page)
    disturbed = disturbances or []
    busy = [(at, at + STEADY_AFTER_MS) for at, _ in commands]
    # A disturbance and the 5 s after it are no steady state either.
    busy += [(d["start"], d["end"] + STEADY_AFTER_MS) for d in disturbed]

    series = spread_series(frames, start, end)
    reconvergence: list[float | None] = []
    for at, entry in commands:
        if entry["type"] == "SEEK":
            found = converged_at(series, at, CONVERGED_WITHIN_MS)
            reconvergence.append(None if found is None else max(0.0, found - at))
    recovery: dict[str, list[float | None]] = {}
    for disturbance in disturbed:
        found = converged_at(series, disturbance["end"], CONVERGED_WITHIN_MS)
        took = None if found is None else max(0.0, found - disturbance["end"])
        recovery.setdefault(disturbance["kind"], []).append(took)

    def base_rate_at(local: float) -> float:
        rate = 1.0
        for at, entry in commands:
            if at <= local:
                rate = float(entry["state"]["playbackRate"])
        return rate

    return Measured(
        drift=[spread for at, spread in series if outside(busy, at)],
        errors=[
            abs(error)
            for page, page_states in zip(frames, states, strict=True)
            for at, error in frame_errors(page, page_states)
            if outside(busy, at) and at >= start
        ],
        reconvergence_ms=reconvergence,
        recovery_ms=recovery,
        corrections=sum(corrections(page, base_rate_at, busy) for page in events),
        steady_ms=sum(b - a for a, b in steady_intervals(start, end, sorted(busy))),
        pages=len(frames),
    )


def summarise(mode: str, controller: str, runs: list[Measured]) -> Result:
    """Pool the samples of every run of one (network, controller) pair."""
    steady_ms = sum(run.steady_ms for run in runs)
    page_minutes = sum(run.steady_ms * run.pages for run in runs) / 60_000
    total_corrections = sum(run.corrections for run in runs)
    recovery: dict[str, list[float | None]] = {}
    for run in runs:
        for kind, values in run.recovery_ms.items():
            recovery.setdefault(kind, []).extend(values)
    return Result(
        mode=mode,
        controller=controller,
        drift=Summary.of([value for run in runs for value in run.drift]),
        error=Summary.of([value for run in runs for value in run.errors]),
        reconvergence_ms=[value for run in runs for value in run.reconvergence_ms],
        recovery_ms=recovery,
        corrections_per_minute=total_corrections / page_minutes if page_minutes else math.nan,
        steady_seconds=steady_ms / 1000,
    )


def steady_intervals(
    start: float, end: float, busy: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    intervals, cursor = [], start
    for a, b in busy:
        if a > cursor:
            intervals.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        intervals.append((cursor, end))
    return intervals


def within_goal(values: list[float | None]) -> str:
    """'5/6 ≤ 1 s, median 420 ms' (never converged counts as over the goal)."""
    if not values:
        return "-"
    met = sum(1 for v in values if v is not None and v <= RECOVERED_WITHIN_S * 1000)
    known = [v for v in values if v is not None]
    middle = f", median {percentile(known, 0.5):.0f} ms" if known else ""
    return f"{met}/{len(values)} ≤ {RECOVERED_WITHIN_S} s{middle}"


def ms_list(values: list[float | None]) -> str:
    return ", ".join("never" if v is None else f"{v:.0f}" for v in values)


def print_table(results: list[Result]) -> None:
    header = (
        f"{'network':<9} {'controller':<10} {'drift p50':>9} {'p95':>7} {'max':>7}"
        f" {'|err| p50':>9} {'p95':>7} {'corr/min':>8}"
        f"  {'seeks ≤20 ms':<26} {'disturbances ≤20 ms':<26}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        recoveries = [v for values in r.recovery_ms.values() for v in values]
        print(
            f"{r.mode:<9} {r.controller:<10} {r.drift.p50:>7.1f}ms {r.drift.p95:>5.1f}ms"
            f" {r.drift.maximum:>5.1f}ms {r.error.p50:>7.1f}ms {r.error.p95:>5.1f}ms"
            f" {r.corrections_per_minute:>8.2f}"
            f"  {within_goal(r.reconvergence_ms):<26} {within_goal(recoveries):<26}"
        )
    print("\nms until back within 20 ms, per seek and per disturbance:")
    for r in results:
        kinds = "; ".join(f"{kind} {ms_list(values)}" for kind, values in r.recovery_ms.items())
        print(f"  {r.mode:<9} {r.controller:<10} seeks {ms_list(r.reconvergence_ms)} | {kinds}")
    print(
        f"\n{PAGES} pages, runs pooled per row, steady state = outside"
        f" {STEADY_AFTER_MS / 1000:.0f} s after the start"
        " and after each command or disturbance; drift = widest gap between pages at one instant;"
        " err = frame media time minus the room's timeline (page's own clock estimate);"
        " seeks and disturbances: time from the seek taking effect / the disturbance's end"
        f" until the drift stays ≤ {CONVERGED_WITHIN_MS} ms for a second."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SyncWatch drift benchmark")
    parser.add_argument("--seconds", type=int, default=60, help="length of the generated clip")
    parser.add_argument("--modes", default="loopback,proxy")
    parser.add_argument("--controllers", default="syncwatch,timingsrc")
    parser.add_argument("--repeat", type=int, default=1, help="runs pooled per pair")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--trace", type=Path, help="write each session's raw records here")
    parser.add_argument(
        "--tuning",
        type=json.loads,
        action="append",
        help="HTML5_TUNING overrides (JSON) for 'tuned'; repeat it to compare several"
        " (rows tuned1, tuned2, …)",
    )
    args = parser.parse_args(argv)
    global TRACE_DIR
    TRACE_DIR = args.trace
    modes = args.modes.split(",")
    controllers = args.controllers.split(",")
    if args.tuning and "tuned" in controllers:
        variants = []
        for number, overrides in enumerate(args.tuning, start=1):
            name = "tuned" if len(args.tuning) == 1 else f"tuned{number}"
            HARNESS_QUERY[name] = {"controller": "engine", "tuning": json.dumps(overrides)}
            print(f"{name}: {json.dumps(overrides)}")
            variants.append(name)
        at = controllers.index("tuned")
        controllers[at : at + 1] = variants

    from playwright.sync_api import sync_playwright

    browser_rig.ensure_web_build()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-drift-") as scratch:
        root = Path(scratch)
        print(f"generating a {args.seconds} s, {FRAME_RATE} fps HLS clip…", flush=True)
        media = make_hls_clip(root / "media", seconds=args.seconds, frame_rate=FRAME_RATE).parent
        in_harness = set(controllers) - {"syncwatch"}
        harness = bundle_timingsrc(root / "harness") if in_harness else root
        with browser_rig.syncwatch_server(root / "data") as base_url, sync_playwright() as pw:
            browser = browser_rig.launch_chromium(pw, extra_args=HARNESS_CHROMIUM_ARGS)
            port = int(base_url.rsplit(":", 1)[1])
            for mode in modes:
                proxy = LatencyProxy(port) if mode == "proxy" else None
                try:
                    for controller in controllers:
                        runs = []
                        for run in range(args.repeat):
                            label = f"{controller} on {mode} ({run + 1}/{args.repeat})"
                            print(f"running {label}…", flush=True)
                            runs.append(
                                run_session(
                                    browser, base_url, controller, media, harness,
                                    proxy.port if proxy else None,
                                )
                            )  # fmt: skip
                        results.append(summarise(mode, controller, runs))
                finally:
                    if proxy:
                        proxy.close()
            browser.close()
    print()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
