package dev.replcert.orchestrator.drpc;

import dev.replcert.api.k8s.Ramen.Phase;
import dev.replcert.api.k8s.Ramen.Progression;

/**
 * Where a DRPC stands after one pass: the phase and progression to report, PeerReady, and whether
 * anything is left to do (a step that wrote something or waits on a cluster is not settled).
 *
 * @param phase null keeps the reported phase (an action refused before it started)
 * @param progression null keeps the reported progression
 * @param peerReady null keeps PeerReady
 * @param message why the DRPC waits or was refused (logged; empty when settled)
 */
record Step(
    Phase phase,
    Progression progression,
    PeerReady peerReady,
    boolean settled,
    String message) {

  /** PeerReady as a pass decides it. */
  record PeerReady(boolean ready, String reason, String message) {}

  static Step waiting(Phase phase, Progression progression, PeerReady peer, String message) {
    return new Step(phase, progression, peer, false, message);
  }

  static Step done(Phase phase, PeerReady peer) {
    return new Step(phase, Progression.COMPLETED, peer, true, "");
  }

  /** Nothing changes; the reason is logged and the DRPC looked at again later. */
  static Step refused(String message) {
    return new Step(null, null, null, false, message);
  }
}
