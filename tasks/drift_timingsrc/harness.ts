/**
 * A room member for tasks/bench_drift.py whose <video> is steered by a control
 * loop chosen in the query string, everything else being the app's own code
 * (clock estimator, ping schedule, hls.js player, timeline arithmetic), so the
 * benchmark compares control loops, not clocks or players:
 *
 * - `controller=timingsrc`: npm `timingsrc` + `timing-object`. The room state
 *   drives a TimingObject (position and velocity at the page's estimate of
 *   server time); timingsrc keeps the media element on it with its default
 *   update function.
 * - `controller=engine`: the app's SyncEngine and DriftController, with the
 *   HTML5 tuning overridden by the JSON object in `tuning` (candidate constants
 *   measured before they go into web/src/sync/driftController.ts).
 *
 * Also `room` (code) and `token` (access token).
 */
import { TimingObject } from "timing-object";
import { setTimingsrc } from "timingsrc";
import type { PlaybackState } from "../../web/src/api/protocol";
import { createHlsPlayer } from "../../web/src/player/hlsPlayer";
import type { MediaElementPlayer } from "../../web/src/player/mediaElementPlayer";
import { ClockEstimator, ClockSync } from "../../web/src/sync/clockEstimator";
import { HTML5_TUNING, type ControllerTuning } from "../../web/src/sync/driftController";
import { expectedPositionMs, isPlayingAt } from "../../web/src/sync/playback";
import { SyncEngine } from "../../web/src/sync/syncEngine";

const params = new URLSearchParams(location.search);
const code = params.get("room") ?? "";
const token = params.get("token") ?? "";
const now = () => performance.timeOrigin + performance.now();
const video = document.querySelector("video") as HTMLVideoElement;
const estimator = new ClockEstimator();
const timing = new TimingObject();
const useEngine = params.get("controller") === "engine";
const tuning: ControllerTuning = { ...HTML5_TUNING, ...(JSON.parse(params.get("tuning") ?? "{}") as Partial<ControllerTuning>) };
const engine = new SyncEngine({ clock: estimator, now });

let state: PlaybackState | null = null;
let player: MediaElementPlayer | null = null;
let source: string | null = null;
let releaseTimingsrc: (() => void) | null = null;

Object.defineProperty(window, "__syncwatch", {
  value: {
    get clockOffsetMs() {
      return estimator.offsetMs;
    },
    get playerKind() {
      return player?.kind ?? null;
    },
    get expectedMs() {
      return state ? expectedPositionMs(state, estimator.serverNow(now())) : null;
    },
    get serverNowMs() {
      return estimator.serverNow(now());
    },
  },
});

/** Put the room's timeline, at the page's estimate of server time, into the timing object. */
function steer(): void {
  if (!state) return;
  const serverNow = estimator.serverNow(now());
  const position = expectedPositionMs(state, serverNow) / 1000;
  const velocity = isPlayingAt(state, serverNow) ? state.playbackRate : 0;
  const current = timing.query();
  // The timing object extrapolates on its own; only a new command or a new clock
  // estimate moves the timeline it should follow.
  if (Math.abs(current.position - position) > 0.002 || current.velocity !== velocity) timing.update({ position, velocity });
}

async function apply(next: PlaybackState): Promise<void> {
  state = next;
  if (next.sourceId && next.sourceId !== source) {
    source = next.sourceId;
    releaseTimingsrc?.();
    player?.destroy();
    player = await createHlsPlayer(video, next.sourceId);
    if (useEngine) {
      Object.defineProperty(player, "tuning", { value: tuning });
      engine.attach(player);
      return;
    }
    releaseTimingsrc = setTimingsrc(video, timing);
  }
  if (useEngine) return;
  steer();
  // A command whose anchor lies ahead (a scheduled start) starts moving then.
  const untilAnchor = estimator.toLocal(next.anchorServerTimeMs) - now();
  if (untilAnchor > 0) setTimeout(steer, untilAnchor);
}

const socket = new WebSocket(`ws://${location.host}/ws/rooms/${encodeURIComponent(code)}`);
const send = (type: string, data: unknown) => socket.send(JSON.stringify({ type, data }));
const clockSync = new ClockSync(
  estimator,
  (t0) => {
    if (socket.readyState !== WebSocket.OPEN) return false;
    send("time:ping", { t0 });
    return true;
  },
  now,
  steer,
);

socket.onopen = () => send("hello", { protocolVersion: "1.0.0", token });
socket.onmessage = (event) => {
  const message = JSON.parse(String(event.data));
  switch (message.type) {
    case "welcome":
      estimator.seed(message.data.serverTime, now());
      clockSync.start();
      setInterval(() => send("presence:heartbeat", {}), 5_000);
      setInterval(steer, 1_000);
      if (useEngine) {
        engine.reset(message.data.state);
        engine.start();
      }
      void apply(message.data.state);
      break;
    case "time:pong":
      clockSync.onPong(message.data.t0, message.data.t1, message.data.t2);
      break;
    case "sync:command": {
      const command = message.data;
      if (useEngine) {
        engine.receive(command);
        if (command.state.sourceId !== source) void apply(command.state);
        break;
      }
      const delay = estimator.toLocal(command.atServerTime) - now();
      setTimeout(() => void apply(command.state), Math.max(0, delay));
      break;
    }
  }
};
