/**
 * The voice mesh's `VoiceSignaling` over the room socket: `voice:*` frames in,
 * `voice:*` notices out. The room session owns the socket (which is replaced on
 * reconnect); this adapter only needs a stable way to send and to listen.
 */
import type { ClientNotices, ServerMessage } from "../../api/protocol";
import type { VoiceClientMessages, VoiceServerMessages, VoiceSignaling } from "../../voice/signaling";

export interface RoomMessageTransport {
  /** Fire-and-forget; false when the socket is not open (the frame is dropped). */
  notify<K extends keyof ClientNotices>(type: K, data: ClientNotices[K]): boolean;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}

export function roomVoiceSignaling(transport: RoomMessageTransport): VoiceSignaling {
  return {
    // Dropped while reconnecting on purpose: the call is rebuilt with `rejoin()` once the socket is back.
    send: <K extends keyof VoiceClientMessages>(type: K, data: VoiceClientMessages[K]) => void transport.notify<K>(type, data as ClientNotices[K]),
    on: <K extends keyof VoiceServerMessages>(type: K, handler: (data: VoiceServerMessages[K]) => void) =>
      transport.onMessage((message) => {
        if (message.type === type) handler(message.data as VoiceServerMessages[K]);
      }),
  };
}
