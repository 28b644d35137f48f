package dev.replcert.orchestrator.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.hub.PeerClassFinder.Peer;
import io.openshift.ramendr.v1alpha1.drpolicystatus.async.PeerClasses;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyPeerClassesTest {

  @Test
  void listedPairingsKeepTheirPlaceWithFreshValuesGoneOnesGoAndNewOnesAreAppended() {
    Peer fast = new Peer("fast", List.of("e1", "w1"), List.of("east", "west"), "r1", false, false);
    Peer bulk = new Peer("bulk", List.of("e2", "w2"), List.of("east", "west"), "r2", false, false);
    Peer gone = new Peer("old", List.of("e3", "w3"), List.of("east", "west"), "r3", false, false);
    Peer added = new Peer("new", List.of("e4", "w4"), List.of("west", "east"), "", false, false);
    // listed: bulk (with an older replication id), old, fast; found now: fast, new, bulk
    List<PeerClasses> listed = List.of(
        PolicyPeerClasses.asyncClass(new Peer("bulk", List.of("e2", "w2"), List.of("west", "east"), "r0", false, false)),
        PolicyPeerClasses.asyncClass(gone), PolicyPeerClasses.asyncClass(fast));

    List<PeerClasses> merged = PolicyPeerClasses.merge(listed, List.of(fast, added, bulk), PolicyPeerClasses::asyncClass,
        (pc, peer) -> peer.samePairing(pc.getStorageClassName(), pc.getClusterIDs()));

    assertThat(merged).extracting(PeerClasses::getStorageClassName).containsExactly("bulk", "fast", "new");
    assertThat(merged.get(0).getReplicationID()).as("fresh values for a listed pairing (cluster order aside)")
        .isEqualTo("r2");
    assertThat(merged.get(2).getReplicationID()).as("no common replication id is left out").isNull();
  }
}
