/*
 * A local stand-in for https://www.youtube.com/iframe_api, for browser tests
 * that must not reach the network. Build the app with
 *   VITE_YOUTUBE_API_URL=/test-support/fake-youtube-iframe-api.js
 * and serve this file (and the media below) from the app's own origin, so the
 * production CSP (script-src 'self' …) still applies.
 *
 * `new YT.Player(element, {videoId})` replaces `element` with a <video> that
 * plays `${window.__fakeYouTubeMediaBase || "/media/fake-youtube/"}${videoId}.mp4`
 * and answers the subset of the IFrame API that SyncWatch uses. Like the real
 * player it offers only a fixed list of playback rates, and getCurrentTime()
 * is read in whole milliseconds. The video id "unembeddable" fails with
 * error 150, like a video whose owner forbids embedding.
 */
(function () {
  "use strict";
  var State = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 };
  var RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

  function Player(element, options) {
    var self = this;
    var target = typeof element === "string" ? document.getElementById(element) : element;
    var events = (options && options.events) || {};
    var video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.style.width = "100%";
    video.style.height = "100%";
    video.dataset.fakeYoutube = options.videoId;
    this._video = video;
    this._state = State.UNSTARTED;
    this._events = events;
    target.replaceWith(video);

    function setState(state) {
      if (self._state === state) return;
      self._state = state;
      if (events.onStateChange) events.onStateChange({ data: state, target: self });
    }
    video.addEventListener("playing", function () { setState(State.PLAYING); });
    video.addEventListener("pause", function () { if (!video.ended) setState(State.PAUSED); });
    video.addEventListener("waiting", function () { setState(State.BUFFERING); });
    video.addEventListener("ended", function () { setState(State.ENDED); });

    if (options.videoId === "unembeddable") {
      setTimeout(function () { if (events.onError) events.onError({ data: 150, target: self }); }, 0);
      return;
    }
    video.addEventListener("loadedmetadata", function () {
      setState(State.CUED);
      if (events.onReady) events.onReady({ target: self });
    }, { once: true });
    video.addEventListener("error", function () {
      if (events.onError) events.onError({ data: 100, target: self });
    }, { once: true });
    video.preload = "auto";
    video.src = (window.__fakeYouTubeMediaBase || "/media/fake-youtube/") + encodeURIComponent(options.videoId) + ".mp4";
  }

  Player.prototype.playVideo = function () { var p = this._video.play(); if (p && p.catch) p.catch(function () {}); };
  Player.prototype.pauseVideo = function () { this._video.pause(); };
  Player.prototype.seekTo = function (seconds) { this._video.currentTime = seconds; };
  Player.prototype.getCurrentTime = function () { return Math.round(this._video.currentTime * 1000) / 1000; };
  Player.prototype.getDuration = function () { return this._video.duration || 0; };
  Player.prototype.getPlayerState = function () { return this._state; };
  Player.prototype.getPlaybackRate = function () { return this._video.playbackRate; };
  Player.prototype.setPlaybackRate = function (rate) {
    if (RATES.indexOf(rate) >= 0) this._video.playbackRate = rate;
  };
  Player.prototype.getAvailablePlaybackRates = function () { return RATES.slice(); };
  Player.prototype.getVideoLoadedFraction = function () {
    var v = this._video;
    return v.buffered.length && v.duration ? v.buffered.end(v.buffered.length - 1) / v.duration : 0;
  };
  Player.prototype.mute = function () { this._video.muted = true; };
  Player.prototype.unMute = function () { this._video.muted = false; };
  Player.prototype.isMuted = function () { return this._video.muted; };
  Player.prototype.getVolume = function () { return Math.round(this._video.volume * 100); };
  Player.prototype.setVolume = function (volume) { this._video.volume = volume / 100; };
  Player.prototype.destroy = function () {
    this._video.pause();
    this._video.removeAttribute("src");
    this._video.load();
    this._video.remove();
  };

  window.YT = { Player: Player, PlayerState: State, loaded: 1 };
  setTimeout(function () {
    if (typeof window.onYouTubeIframeAPIReady === "function") window.onYouTubeIframeAPIReady();
  }, 0);
})();
