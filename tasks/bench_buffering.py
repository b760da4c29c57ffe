"""Wait-for-buffering benchmark: three real Chromium pages, one of them starved of video.

    ./dev -s bench -- buffering [--rounds 3] [--delay 3] [--json out.json]

Each round opens a fresh room (so no member has stalled before in it), plays an
HLS clip on three pages, then reloads the third page while a Playwright route
holds its segment requests for `--delay` seconds each (a slow network). Its
player stalls; the room should pause the two others. Printed per round:

- pause latency: from the moment the stall crossed the room's threshold (the
  slowed page's stall report, `sync:buffering {stalled: true}`, + 1 s) to the
  other pages' `pause` event (goal <= 300 ms); all pages run on this
  machine's clock. The slowed page never fires `waiting` (its player does not
  get the metadata before its first segment): its own stall watch reports it,
  and how long after its socket opened is printed too ("reported after"), and
  when the room's PAUSE was scheduled to take effect ("PAUSE at": its lead);
- spread after the resume: the median and p95 of the inter-page spread of the
  presented frames (requestVideoFrameCallback) over the 3 s starting 1 s
  after every page plays again, measured as in the drift benchmark (goal <= 20 ms).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tasks import browser_rig
from tasks.drift_analysis import percentile, spread_series
from tasks.hls_clip import make_hls_clip

PAGES = 3
THRESHOLD_MS = 1_000
SEGMENTS = "**/e2e-media/seg*.ts"


@dataclass(frozen=True, slots=True)
class Round:
    reported_after_ms: float
    pause_scheduled_ms: float
    """When the room's PAUSE took effect (its atServerTime), after the threshold."""
    pause_latency_ms: list[float]
    spread_median_ms: float
    spread_p95_ms: float
    waited_s: float


def open_room(browser: Any, base_url: str, media: Path) -> tuple[list[Any], list[Any]]:
    suffix = str(time.time_ns())[-9:]
    contexts, tokens = [], []
    for index in range(PAGES):
        context = browser.new_context(viewport={"width": 800, "height": 600})
        browser_rig.install_probe(context)
        browser_rig.serve_directory(context, "e2e-media", media)
        signed_up = browser_rig.register_in_context(context, base_url, f"bf{index}x{suffix}")
        contexts.append(context)
        tokens.append(signed_up["accessToken"])
    room = browser_rig.create_room_in_context(contexts[0], base_url, tokens[0], name="Buffering")
    pages = []
    for context in contexts:
        page = context.new_page()
        page.goto(f"{base_url}/r/{room['code']}")
        page.wait_for_function("() => window.__rig && window.__rig.openSockets() > 0")
        pages.append(page)
    return contexts, pages


def events(page: Any, kind: str, since: float) -> list[float]:
    drained = page.evaluate("() => window.__rig.drain()")
    return [e["at"] for e in drained["mediaEvents"] if e["type"] == kind and e["at"] >= since]


def stall_reports(page: Any) -> list[float]:
    """When the page reported a stall (its document is fresh after the reload)."""
    sent = page.evaluate("() => window.__rig.sent")
    return [f["at"] for f in sent if f["type"] == "sync:buffering" and f["data"]["stalled"]]


def wait_until(check: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise TimeoutError(what)


def run_round(browser: Any, base_url: str, media: Path, delay_s: float) -> Round:
    contexts, pages = open_room(browser, base_url, media)
    owner = pages[0]
    slowed = pages[-1]
    try:
        owner.evaluate(
            "(url) => window.__rig.send('sync:source', {sourceType: 'url', url})",
            f"{base_url}/e2e-media/clip.m3u8",
        )
        for page in pages:
            page.wait_for_function(
                "() => window.__syncwatch && window.__syncwatch.playerKind === 'hls'",
                timeout=30_000,
            )
        time.sleep(2)
        owner.evaluate("() => window.__rig.send('sync:play', {})")
        time.sleep(3)

        held: list[tuple[float, Any]] = []
        slowed.context.route(SEGMENTS, lambda route: held.append((time.monotonic(), route)))
        slowed.reload()
        slowed.wait_for_function("() => window.__rig && window.__rig.openSockets() > 0")
        local_now = "() => performance.timeOrigin + performance.now()"
        since = slowed.evaluate(local_now)
        stall_at = wait_until(
            lambda: stall_reports(slowed), 20, "the slowed page never reported a stall"
        )[0]
        watchers = [p for p in pages if p is not slowed]
        paused_at = [
            wait_until(lambda p=page: events(p, "pause", stall_at), 20, "nobody paused")[0]
            for page in watchers
        ]
        latency = [at - (stall_at + THRESHOLD_MS) for at in paused_at]
        pauses = [
            state["effectiveAt"]
            for state in owner.evaluate("() => window.__rig.states")
            if state["type"] == "PAUSE" and state["effectiveAt"] >= stall_at
        ]
        scheduled = pauses[0] - (stall_at + THRESHOLD_MS) if pauses else float("nan")

        # Let the held segments through, each `delay_s` after it was asked for.
        slowed.context.unroute(SEGMENTS)
        started = time.monotonic()
        while held:
            now = time.monotonic()
            due = [item for item in held if now - item[0] >= delay_s]
            for item in due:
                item[1].fallback()
                held.remove(item)
            time.sleep(0.05)
        for page in pages:
            page.wait_for_function("() => !document.querySelector('video').paused", timeout=30_000)
        waited = time.monotonic() - started
        resumed = max(p.evaluate(local_now) for p in pages)
        for page in pages:
            page.evaluate("() => window.__rig.drain()")
        time.sleep(4.5)
        frames = [page.evaluate("() => window.__rig.drain()")["frames"] for page in pages]
        spreads = [s for _, s in spread_series(frames, resumed + 1000, resumed + 4000)]
        return Round(
            reported_after_ms=round(stall_at - since, 1),
            pause_scheduled_ms=round(scheduled, 1),
            pause_latency_ms=[round(v, 1) for v in latency],
            spread_median_ms=round(percentile(spreads, 0.5), 1),
            spread_p95_ms=round(percentile(spreads, 0.95), 1),
            waited_s=round(waited, 2),
        )
    finally:
        for context in contexts:
            context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SyncWatch wait-for-buffering benchmark")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--delay", type=float, default=3.0, help="seconds each segment is held")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    browser_rig.ensure_web_build()
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory(prefix="bench-buffering-") as scratch:
        root = Path(scratch)
        media = make_hls_clip(root / "media", seconds=60).parent
        with browser_rig.syncwatch_server(root / "data") as base_url, sync_playwright() as pw:
            browser = browser_rig.launch_chromium(pw)
            for number in range(args.rounds):
                print(f"round {number + 1}/{args.rounds}…", flush=True)
                rounds.append(run_round(browser, base_url, media, args.delay))
            browser.close()
    print()
    print(
        "round  reported after (ms)  PAUSE at (ms)  pause latency after the 1 s threshold (ms)",
        end="",
    )
    print("  spread median / p95 (ms)  resumed after (s)")
    for number, result in enumerate(rounds, start=1):
        latency = ", ".join(f"{v:.0f}" for v in result.pause_latency_ms)
        spreads = f"{result.spread_median_ms:>9.1f} / {result.spread_p95_ms:<6.1f}"
        print(
            f"{number:>5}  {result.reported_after_ms:>19.0f}  {result.pause_scheduled_ms:>13.0f}"
            f"  {latency:>42}"
            f"  {spreads}  {result.waited_s:>16.2f}"
        )
    latencies = [v for r in rounds for v in r.pause_latency_ms]
    spreads_median = [r.spread_median_ms for r in rounds]
    print(
        f"pause latency median {percentile(latencies, 0.5):.0f} ms,"
        f" worst {max(latencies):.0f} ms (goal <= 300)"
    )
    print(
        f"inter-page spread after the resume: median of round medians"
        f" {percentile(spreads_median, 0.5):.1f} ms,"
        f" worst {max(spreads_median):.1f} ms (goal <= 20)"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rounds], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
