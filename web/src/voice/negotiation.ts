/**
 * Perfect negotiation (W3C WebRTC §10.7 pattern) for one peer connection.
 *
 * Either side may need to (re)negotiate at any time — the first offer, an ICE
 * restart — and both may offer at once. The impolite peer ignores a colliding
 * offer; the polite one rolls its own back (implicitly, in
 * setRemoteDescription) and answers. Written against the few members of
 * RTCPeerConnection it uses, so unit tests drive it with fakes.
 */

export interface SessionDescription {
  type: RTCSdpType;
  sdp?: string;
}

export interface NegotiablePeerConnection {
  readonly signalingState: RTCSignalingState;
  readonly localDescription: SessionDescription | null;
  setLocalDescription(description?: SessionDescription): Promise<void>;
  setRemoteDescription(description: SessionDescription): Promise<void>;
  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void>;
}

export interface NegotiationMessage {
  description?: SessionDescription;
  candidate?: RTCIceCandidateInit;
}

export class PerfectNegotiator {
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;

  constructor(
    private readonly pc: NegotiablePeerConnection,
    readonly polite: boolean,
    private readonly send: (message: NegotiationMessage) => void,
    /** Runs after a remote offer is applied and before the answer is made (attach the microphone). */
    private readonly beforeAnswer: () => void | Promise<void> = () => undefined,
  ) {}

  get isMakingOffer(): boolean {
    return this.makingOffer;
  }

  /** The `negotiationneeded` handler. */
  async negotiationNeeded(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      const description = this.pc.localDescription;
      if (description) this.send({ description: { type: description.type, sdp: description.sdp } });
    } finally {
      this.makingOffer = false;
    }
  }

  /** A description or candidate from the peer. Returns false when it was ignored (a collision we win). */
  async receive(message: NegotiationMessage): Promise<boolean> {
    const { description, candidate } = message;
    if (description) {
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === "stable" || this.settingRemoteAnswer);
      const collision = description.type === "offer" && !readyForOffer;
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return false;
      this.settingRemoteAnswer = description.type === "answer";
      try {
        await this.pc.setRemoteDescription(description);
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (description.type === "offer") {
        await this.beforeAnswer();
        await this.pc.setLocalDescription();
        const answer = this.pc.localDescription;
        if (answer) this.send({ description: { type: answer.type, sdp: answer.sdp } });
      }
      return true;
    }
    if (candidate) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (error) {
        // Candidates of an offer we ignored cannot apply; anything else is real.
        if (!this.ignoreOffer) throw error;
        return false;
      }
    }
    return true;
  }
}
