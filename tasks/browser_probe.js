// Installed into every page before its own scripts (Playwright `add_init_script`)
// by tasks/browser_rig.py. It records, without changing anything the app does:
// - the playback states the room socket announced, each with the server time it
//   takes effect (welcome: at once; sync:command: at its atServerTime);
// - every presented video frame (requestVideoFrameCallback: the exact media time
//   of the frame and the local time it is expected on screen), with the page's
//   clock offset at that moment and what currentTime read in the callback;
// - media element events (seeks, rate changes), to count corrections;
// - the room frames the page sent (`sent`: type, data and when), e.g. its stall reports.
// With `window.__rigConfig.proxyPort` set, room sockets connect through that port
// on the same host instead (the latency proxy of the drift benchmark).
(() => {
  const config = window.__rigConfig || {};
  const now = () => performance.timeOrigin + performance.now();
  const rig = {
    sockets: [],
    states: [],
    frames: [],
    mediaEvents: [],
    disturbances: [],
    sent: [],
    watched: null,
  };
  window.__rig = rig;

  function record(message) {
    if (!message || typeof message !== "object") return;
    if (message.type === "welcome" && message.data && message.data.state) {
      rig.states.push({ effectiveAt: message.data.serverTime, type: "WELCOME", state: message.data.state });
    } else if (message.type === "sync:command") {
      rig.states.push({ effectiveAt: message.data.atServerTime, type: message.data.type, state: message.data.state });
    }
  }

  const NativeWebSocket = window.WebSocket;
  class RigWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      let target = String(url);
      if (config.proxyPort) {
        const parsed = new URL(target, location.href);
        parsed.port = String(config.proxyPort);
        target = parsed.toString();
      }
      super(target, protocols);
      // Only room sockets: the page also keeps its user socket (/ws/me), whose
      // welcome has no playback state and which takes no room requests.
      if (!/\/ws\/rooms\//.test(target)) return;
      rig.sockets.push(this);
      this.isRoomSocket = true;
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        try {
          record(JSON.parse(event.data));
        } catch {
          // Not JSON: nothing to record.
        }
      });
    }
    /** Room frames the page sent itself, with when (`rig.sent`): e.g. its `sync:buffering` reports. */
    send(data) {
      if (this.isRoomSocket && typeof data === "string") {
        try {
          const frame = JSON.parse(data);
          const chatter = frame && (frame.type === "presence:heartbeat" || frame.type === "time:ping");
          if (frame && frame.type && !chatter && !String(frame.id || "").startsWith("rig")) {
            rig.sent.push({ at: now(), type: frame.type, data: frame.data });
          }
        } catch {
          // Not JSON: nothing to record.
        }
      }
      super.send(data);
    }
  }
  window.WebSocket = RigWebSocket;

  /** Close every open room socket as if the network had dropped it; the app must reconnect. */
  rig.dropSockets = () => {
    let dropped = 0;
    for (const socket of rig.sockets) {
      if (socket.readyState <= 1) {
        socket.close(3000, "connection cut by the test");
        dropped += 1;
      }
    }
    return dropped;
  };

  /** Send a room request on the page's open socket (benchmarks steer the room this way). */
  let requests = 0;
  rig.send = (type, data) => {
    const socket = rig.sockets.filter((s) => s.readyState === 1).pop();
    if (!socket) return null;
    requests += 1;
    const id = `rig${requests}`;
    socket.send(JSON.stringify({ type, id, data }));
    return id;
  };

  /**
   * Disturb this page's playback behind the app's back, as a real page can be
   * disturbed; `{kind, start, end}` (local ms) is recorded when it is over:
   * - "stall": the pipeline is flushed (a seek to where it is), so the picture
   *   stops until the decoder has a frame again, like a decoder or network
   *   stall; over at "seeked";
   * - "fast" / "slow": the media clock runs 3 % fast or slow for `ms`;
   * - "busy": the main thread is blocked for `ms` (a tab throttled for a moment).
   */
  rig.disturb = (kind, ms) => {
    const video = rig.watched;
    if (!video) return false;
    const start = now();
    const done = () => rig.disturbances.push({ kind, start, end: now() });
    if (kind === "stall") {
      video.addEventListener("seeked", done, { once: true });
      video.currentTime = video.currentTime;
    } else if (kind === "fast" || kind === "slow") {
      const base = video.playbackRate;
      video.playbackRate = base * (kind === "fast" ? 1.03 : 0.97);
      setTimeout(() => {
        video.playbackRate = base;
        done();
      }, ms);
    } else if (kind === "busy") {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // Blocking on purpose: timers and frame callbacks wait, the media does not.
      }
      done();
    } else {
      return false;
    }
    return true;
  };

  rig.openSockets = () => rig.sockets.filter((s) => s.readyState === 1).length;

  /** Hand over what was recorded since the last call (frames and events are cleared). */
  rig.drain = () => {
    const out = {
      frames: rig.frames,
      mediaEvents: rig.mediaEvents,
      states: rig.states.slice(),
      disturbances: rig.disturbances.slice(),
    };
    rig.frames = [];
    rig.mediaEvents = [];
    return out;
  };

  function watch(video) {
    rig.watched = video;
    if (typeof video.requestVideoFrameCallback === "function") {
      const onFrame = (callbackNow, meta) => {
        const probe = window.__syncwatch;
        rig.frames.push({
          // currentTime as the page's scripts read it in this callback, and when.
          clock: video.currentTime * 1000,
          clockAt: performance.timeOrigin + callbackNow,
          at: performance.timeOrigin + meta.expectedDisplayTime,
          media: meta.mediaTime * 1000,
          rate: video.playbackRate,
          offset: probe ? probe.clockOffsetMs : 0,
        });
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }
    for (const type of ["seeking", "seeked", "ratechange", "play", "pause", "waiting", "playing"]) {
      video.addEventListener(type, () => {
        rig.mediaEvents.push({ at: now(), type, rate: video.playbackRate, media: video.currentTime * 1000 });
      });
    }
  }

  const finder = setInterval(() => {
    const video = document.querySelector("video");
    if (video && video !== rig.watched) watch(video);
  }, 50);
  window.addEventListener("pagehide", () => clearInterval(finder));
})();
