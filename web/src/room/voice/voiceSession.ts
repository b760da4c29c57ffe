/**
 * The voice call of one room visit: the glue between the room (its socket and
 * settings), a `VoiceClient` and the voice store. Plain TypeScript (no React):
 * the panel calls its methods and reads `useVoiceStore`; it writes the store.
 *
 * A client is created per call with the person's settings, so nothing listens
 * to the keyboard or the microphone outside a call. Settings changed outside a
 * call are only remembered; inside one they are also applied at once.
 */
import {
  IceServerSource,
  sendJoinReport,
  VoiceClient,
  VoiceError,
  type AudioProcessing,
  type PTTBinding,
  type StorageLike,
  type VoiceClientOptions,
  type VoiceMode,
  type VoiceSettings,
  type VoiceSnapshot,
} from "../../voice";
import { browserStorage, effectiveRelayOnly, initialVoiceState, loadVoiceSettings, saveVoiceSettings, useVoiceStore, type VoiceProblem } from "../../store/voice";
import { roomVoiceSignaling, type RoomMessageTransport } from "./roomVoiceSignaling";

/** The part of `VoiceClient` the session drives (a fake implements it in tests). */
export type VoiceClientLike = Pick<
  VoiceClient,
  | "join"
  | "leave"
  | "rejoin"
  | "onChange"
  | "snapshot"
  | "setMode"
  | "setPTTBinding"
  | "capturePTTBinding"
  | "setVadThreshold"
  | "setProcessing"
  | "setRelayOnly"
  | "setSelfMuted"
  | "setPeerVolume"
  | "setPeerMuted"
  | "setModeration"
>;

export interface VoiceSessionDeps {
  transport: RoomMessageTransport;
  /** A fresh access token for the ICE servers and the join report. */
  getToken(): Promise<string | null>;
  createClient?: (options: VoiceClientOptions) => VoiceClientLike;
  storage?: StorageLike | null;
  report?: (report: Parameters<typeof sendJoinReport>[0], token: string | null) => void;
}

function problemOf(error: unknown): VoiceProblem {
  const voiceError = error instanceof VoiceError ? error : new VoiceError("voice_unavailable");
  return { code: voiceError.code, message: voiceError.message, ...(voiceError.peerId ? { peerId: voiceError.peerId } : {}) };
}

export class VoiceSession {
  private client: VoiceClientLike | null = null;
  private moderation: { selfMuted: boolean; silencedPeers: readonly string[] } = { selfMuted: false, silencedPeers: [] };
  private unsubscribe: (() => void) | null = null;
  private readonly storage: StorageLike | null;
  private readonly iceServers: IceServerSource;
  /** The client error already shown, so a dismissed one does not come back with the next change. */
  private shownError: VoiceError | null = null;

  constructor(private readonly deps: VoiceSessionDeps) {
    this.storage = deps.storage === undefined ? browserStorage() : deps.storage;
    this.iceServers = new IceServerSource(() => deps.getToken());
    useVoiceStore.setState(initialVoiceState(loadVoiceSettings(this.storage)));
  }

  get inCall(): boolean {
    return this.client !== null;
  }

  /** Open the microphone and join the room's call; failures land in the store as a problem. */
  async join(selfId: string): Promise<void> {
    if (this.client) return;
    const state = useVoiceStore.getState();
    const settings: VoiceSettings = { ...state.settings, relayOnly: effectiveRelayOnly(state) };
    const create = this.deps.createClient ?? ((options) => new VoiceClient(options));
    const client = create({
      selfId,
      signaling: roomVoiceSignaling(this.deps.transport),
      iceServers: this.iceServers,
      settings,
      storage: this.storage,
      onReport: (report) => void this.deps.getToken().then((token) => (this.deps.report ?? sendJoinReport)(report, token)),
    });
    this.client = client;
    client.setModeration(this.moderation);
    this.shownError = null;
    useVoiceStore.setState({ status: "joining", problem: null });
    try {
      await client.join();
    } catch (error) {
      // join() already cleaned up after itself.
      if (this.client === client) this.client = null;
      useVoiceStore.setState({ status: "idle", snapshot: null, problem: problemOf(error) });
      return;
    }
    if (this.client !== client) {
      client.leave(); // left while the microphone was opening: do not stay in the call
      return;
    }
    this.unsubscribe = client.onChange(() => this.publish(client.snapshot()));
    useVoiceStore.setState({ status: "in_call" });
    this.publish(client.snapshot());
  }

  leave(): void {
    const client = this.client;
    this.client = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    client?.leave();
    useVoiceStore.setState({ status: "idle", snapshot: null, capturingBinding: false });
  }

  /**
   * The room socket reconnected: the server forgot our voice session with the
   * old socket. A call still starting sends its own `voice:join` once ready
   * (the client ignores `rejoin` until then).
   */
  rejoin(): void {
    this.client?.rejoin();
  }

  /** The microphone level now (0..1), for the live meter; the store is not updated per sample. */
  level(): number {
    return this.client?.snapshot().level ?? 0;
  }

  dismissProblem(): void {
    useVoiceStore.setState({ problem: null });
  }

  // ------------------------------------------------------------------ settings

  setMode(mode: VoiceMode): void {
    this.remember({ mode });
    // Leaving push-to-talk ends a pending "press a key…" (its listener is gone).
    if (mode !== "push_to_talk") useVoiceStore.setState({ capturingBinding: false });
    this.client?.setMode(mode);
  }

  setPTTBinding(binding: PTTBinding): void {
    this.remember({ pttBinding: binding });
    this.client?.setPTTBinding(binding);
  }

  /** "Press a key…": the next key or extra mouse button becomes the push-to-talk binding. */
  async capturePTTBinding(): Promise<void> {
    const client = this.client;
    if (!client || useVoiceStore.getState().settings.mode !== "push_to_talk") return;
    useVoiceStore.setState({ capturingBinding: true });
    try {
      const binding = await client.capturePTTBinding();
      this.remember({ pttBinding: binding });
    } catch {
      // The call ended or the mode changed while waiting: keep the old binding.
    } finally {
      useVoiceStore.setState({ capturingBinding: false });
    }
  }

  setVadThreshold(threshold: number): void {
    const clamped = Math.min(1, Math.max(0, threshold));
    this.remember({ vadThreshold: clamped });
    this.client?.setVadThreshold(clamped);
  }

  async setProcessing(change: Partial<AudioProcessing>): Promise<void> {
    const processing = { ...useVoiceStore.getState().settings.processing, ...change };
    this.remember({ processing });
    try {
      await this.client?.setProcessing(processing);
    } catch {
      useVoiceStore.setState({ problem: { code: "microphone_unavailable", message: "The microphone did not accept that setting." } });
    }
  }

  setSelfMuted(muted: boolean): void {
    this.client?.setSelfMuted(muted);
  }

  setPeerVolume(peerId: string, volume: number): void {
    this.client?.setPeerVolume(peerId, volume);
  }

  setPeerMuted(peerId: string, muted: boolean): void {
    this.client?.setPeerMuted(peerId, muted);
  }

  /** The room's voice mutes, kept for a call started later too (see `VoiceClient.setModeration`). */
  setModeration(moderation: { selfMuted: boolean; silencedPeers: readonly string[] }): void {
    this.moderation = moderation;
    this.client?.setModeration(moderation);
  }

  /** The person's own "relay only (hide my IP)" choice. */
  async setUserRelayOnly(relayOnly: boolean): Promise<void> {
    const previous = useVoiceStore.getState().settings.relayOnly;
    this.remember({ relayOnly });
    const applied = await this.applyRelayOnly();
    if (!applied && relayOnly) this.remember({ relayOnly: previous });
  }

  /** The room's privacy setting (welcome or `room:settings`). */
  async setRoomRelayOnly(relayOnly: boolean): Promise<void> {
    if (useVoiceStore.getState().roomRelayOnly === relayOnly) return;
    useVoiceStore.setState({ roomRelayOnly: relayOnly });
    const applied = await this.applyRelayOnly();
    // The room promised everyone that nobody sees their address: without a relay,
    // staying in the call on direct connections would break that promise.
    if (!applied && relayOnly) this.leave();
  }

  // ------------------------------------------------------------------ internals

  private async applyRelayOnly(): Promise<boolean> {
    const client = this.client;
    if (!client) return true;
    try {
      await client.setRelayOnly(effectiveRelayOnly(useVoiceStore.getState()));
      return true;
    } catch (error) {
      useVoiceStore.setState({ problem: problemOf(error) });
      return false;
    }
  }

  private remember(change: Partial<VoiceSettings>): void {
    const settings = { ...useVoiceStore.getState().settings, ...change };
    useVoiceStore.setState({ settings });
    saveVoiceSettings(this.storage, settings);
  }

  private publish(snapshot: VoiceSnapshot): void {
    const fresh = snapshot.error && snapshot.error !== this.shownError ? snapshot.error : null;
    if (fresh) this.shownError = fresh;
    useVoiceStore.setState((state) => ({ snapshot, ...(fresh ? { problem: problemOf(fresh) } : { problem: state.problem }) }));
  }
}
