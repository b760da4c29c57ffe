import type { PlaybackState, WelcomeData } from "../api/protocol";

export function playbackState(overrides: Partial<PlaybackState> = {}): PlaybackState {
  return {
    roomId: "room-1",
    sourceType: "url",
    sourceId: "https://cdn.example/movie.mp4",
    isPlaying: false,
    playbackRate: 1,
    anchorServerTimeMs: 0,
    anchorMediaTimeMs: 0,
    sequenceNumber: 0,
    ...overrides,
  };
}

export function welcome(overrides: Partial<WelcomeData> = {}): WelcomeData {
  return {
    protocolVersion: "1.0.0",
    serverTime: Date.now(),
    compatible: true,
    you: { participantId: "p-me", userId: "u-me", role: "participant" },
    room: {
      id: "room-1",
      code: "K7M2P9QX",
      name: "Movie night",
      ownerId: "u-owner",
      maxParticipants: 5,
      hasPassword: false,
      playbackControl: "owner_only",
      createdAt: 1_700_000_000_000,
    },
    state: playbackState(),
    participants: [],
    chat: [],
    ...overrides,
  };
}
