/**
 * The voice side of the room protocol (CONTRACT.md §2), and the payload that
 * travels inside `voice:signal`. The mesh talks to the room through this small
 * interface only, so it never depends on the room socket itself.
 */

export interface VoiceServerMessages {
  "voice:peers": { peers: string[] };
  "voice:peer:joined": { peerId: string };
  "voice:peer:left": { peerId: string };
  "voice:signal": { fromId: string; signal: PeerSignal };
}

export interface VoiceClientMessages {
  "voice:join": Record<string, never>;
  "voice:leave": Record<string, never>;
  "voice:signal": { targetId: string; signal: PeerSignal };
}

export interface VoiceSignaling {
  send<K extends keyof VoiceClientMessages>(type: K, data: VoiceClientMessages[K]): void;
  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof VoiceServerMessages>(type: K, handler: (data: VoiceServerMessages[K]) => void): () => void;
}

/**
 * One SDP description or ICE candidate for one peer connection.
 *
 * `connectionId` names the RTCPeerConnection pair it belongs to: a full
 * reconnection starts a new id, so late messages of an abandoned connection
 * are recognised and dropped instead of corrupting the new one.
 */
export interface PeerSignal {
  connectionId: string;
  description?: { type: RTCSdpType; sdp?: string };
  candidate?: RTCIceCandidateInit;
}
