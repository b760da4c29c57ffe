import { describe, expect, it } from "vitest";
import { PerfectNegotiator, type NegotiablePeerConnection, type NegotiationMessage, type SessionDescription } from "./negotiation";
import { isPolite } from "./politeness";

/** The signaling-state machine of RTCPeerConnection (JSEP), with async steps that let messages interleave. */
class FakePeerConnection implements NegotiablePeerConnection {
  signalingState: RTCSignalingState = "stable";
  localDescription: SessionDescription | null = null;
  remoteDescription: SessionDescription | null = null;
  candidates: RTCIceCandidateInit[] = [];
  private offers = 0;

  constructor(readonly name: string) {}

  async setLocalDescription(): Promise<void> {
    await tick();
    if (this.signalingState === "stable" || this.signalingState === "have-local-offer") {
      this.offers += 1;
      this.localDescription = { type: "offer", sdp: `${this.name}-offer-${this.offers}` };
      this.signalingState = "have-local-offer";
    } else if (this.signalingState === "have-remote-offer") {
      this.localDescription = { type: "answer", sdp: `${this.name}-answer-to-${this.remoteDescription?.sdp}` };
      this.signalingState = "stable";
    } else {
      throw new Error(`InvalidStateError: setLocalDescription in ${this.signalingState}`);
    }
  }

  async setRemoteDescription(description: SessionDescription): Promise<void> {
    await tick();
    if (description.type === "offer") {
      // Implicit rollback of our own pending offer (what the polite peer relies on).
      if (this.signalingState === "have-local-offer") this.localDescription = null;
      this.signalingState = "have-remote-offer";
    } else if (description.type === "answer") {
      if (this.signalingState !== "have-local-offer") throw new Error(`InvalidStateError: answer in ${this.signalingState}`);
      this.signalingState = "stable";
    }
    this.remoteDescription = description;
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    await tick();
    if (!this.remoteDescription) throw new Error("InvalidStateError: no remote description");
    this.candidates.push(candidate);
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Two negotiators joined by in-order, asynchronous "signaling channels". */
function pair(aId: string, bId: string) {
  const pcs = { a: new FakePeerConnection("a"), b: new FakePeerConnection("b") };
  const inboxes: Record<"a" | "b", Promise<unknown>> = { a: Promise.resolve(), b: Promise.resolve() };
  const ignored: Record<"a" | "b", number> = { a: 0, b: 0 };
  const negotiators = {} as Record<"a" | "b", PerfectNegotiator>;
  const deliver = (to: "a" | "b", message: NegotiationMessage) => {
    inboxes[to] = inboxes[to].then(async () => {
      await tick();
      if (!(await negotiators[to].receive(message))) ignored[to] += 1;
    });
  };
  negotiators.a = new PerfectNegotiator(pcs.a, isPolite(aId, bId), (m) => deliver("b", m));
  negotiators.b = new PerfectNegotiator(pcs.b, isPolite(bId, aId), (m) => deliver("a", m));
  const settled = async () => {
    for (let i = 0; i < 20; i += 1) {
      await Promise.all([inboxes.a, inboxes.b]);
      await tick();
    }
  };
  return { pcs, negotiators, deliver, settled, ignored };
}

describe("politeness", () => {
  it("makes exactly one side of every pair polite, the same on both sides", () => {
    const ids = ["01a1", "01b2", "guest-7", "01a0"];
    for (const a of ids) for (const b of ids) if (a !== b) expect(isPolite(a, b)).toBe(!isPolite(b, a));
  });

  it("refuses a participant calling itself", () => {
    expect(() => isPolite("x", "x")).toThrow();
  });
});

describe("PerfectNegotiator", () => {
  it("completes a plain offer and answer", async () => {
    const { pcs, negotiators, settled } = pair("a", "b");
    await negotiators.a.negotiationNeeded();
    await settled();
    expect(pcs.a.signalingState).toBe("stable");
    expect(pcs.b.signalingState).toBe("stable");
    expect(pcs.b.remoteDescription?.sdp).toBe("a-offer-1");
    expect(pcs.a.remoteDescription?.sdp).toBe("b-answer-to-a-offer-1");
  });

  it("resolves glare: the impolite offer wins, the polite side rolls back and answers", async () => {
    // "b" > "a": b is polite.
    const { pcs, negotiators, settled, ignored } = pair("a", "b");
    await Promise.all([negotiators.a.negotiationNeeded(), negotiators.b.negotiationNeeded()]);
    await settled();
    expect(ignored.a).toBe(1); // the impolite side ignored the polite offer
    expect(ignored.b).toBe(0);
    expect(pcs.a.signalingState).toBe("stable");
    expect(pcs.b.signalingState).toBe("stable");
    expect(pcs.b.remoteDescription?.sdp).toBe("a-offer-1");
    expect(pcs.a.remoteDescription?.sdp).toBe("b-answer-to-a-offer-1");
  });

  it("resolves glare the same way whichever side's message travels first", async () => {
    const { pcs, negotiators, settled } = pair("b", "a"); // now "a" (the second pc) is impolite
    await Promise.all([negotiators.b.negotiationNeeded(), negotiators.a.negotiationNeeded()]);
    await settled();
    expect(pcs.a.signalingState).toBe("stable");
    expect(pcs.b.signalingState).toBe("stable");
    expect(pcs.a.remoteDescription?.sdp).toBe("b-offer-1");
  });

  it("drops candidates that belong to an offer it ignored, without failing", async () => {
    const { pcs, negotiators, settled, deliver } = pair("a", "b");
    await Promise.all([negotiators.a.negotiationNeeded(), negotiators.b.negotiationNeeded()]);
    deliver("a", { candidate: { candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host" } });
    await settled();
    expect(pcs.a.signalingState).toBe("stable");
  });

  it("applies candidates after the description they follow", async () => {
    const { pcs, negotiators, settled, deliver } = pair("a", "b");
    await negotiators.a.negotiationNeeded();
    deliver("b", { candidate: { candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host" } });
    await settled();
    expect(pcs.b.candidates).toHaveLength(1);
  });

  it("renegotiates (an ICE restart) after the call is up", async () => {
    const { pcs, negotiators, settled } = pair("a", "b");
    await negotiators.a.negotiationNeeded();
    await settled();
    await negotiators.b.negotiationNeeded();
    await settled();
    expect(pcs.a.remoteDescription?.sdp).toBe("b-offer-1");
    expect(pcs.b.remoteDescription?.sdp).toBe("a-answer-to-b-offer-1");
    expect([pcs.a.signalingState, pcs.b.signalingState]).toEqual(["stable", "stable"]);
  });
});
