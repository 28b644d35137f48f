package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions.FenceScope;
import dev.replcert.refdriver.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fence scope mirror: a fence set on one site cuts the fenced clients off both sites' storage, as
 * Ramen's Metro DR expects when it delivers east's NetworkFence to west. Unfence on either site
 * restores both; a site that was down when the fence changed refuses the clients once it is back.
 */
class MirrorFenceTest {

  private static final String EAST_NODES = "192.0.2.0/24"; // east-node-1 is 192.0.2.11

  @TempDir Path tmp;
  TwoSites sites;

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void aFenceSetOnWestCutsEastsClientsOffEastsVolumesUntilUnfencedOnEither() {
    sites = TwoSites.start(tmp, FenceScope.MIRROR);
    String id = sites.east.createVolume("stretched", MIB, Map.of()).volumeId();
    String handle = TwoSites.rw(sites.east, id);
    sites.east.write(handle, 0, pattern(1, 10));

    sites.west.fence(List.of(EAST_NODES));

    assertThat(sites.east.fencedCidrs()).as("east learned west's fence when west set it").containsExactly(EAST_NODES);
    assertThat(errorOf(() -> sites.east.write(handle, 0, pattern(2, 10)))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(errorOf(() -> TwoSites.ro(sites.east, id))).isEqualTo(ErrorCode.PERMISSION_DENIED);

    sites.east.unfence(List.of(EAST_NODES));
    assertThat(sites.west.fencedCidrs()).as("west learned east's unfence").isEmpty();
    sites.east.write(handle, 0, pattern(3, 10));
    assertThat(sites.east.read(handle, 0, 10)).isEqualTo(pattern(3, 10));
  }

  @Test
  void aSiteDownWhenItsPeerFencedItRefusesItsClientsAsSoonAsItIsBack() {
    sites = TwoSites.start(tmp, FenceScope.MIRROR);
    String id = sites.east.createVolume("returning", MIB, Map.of()).volumeId();
    sites.stopEast();

    sites.west.fence(List.of(EAST_NODES));
    assertThat(sites.west.fencedCidrs()).as("west fences with east down").containsExactly(EAST_NODES);
    sites.startEast();

    // Site.start exchanges fences before it returns, so no client gets in first
    assertThat(sites.east.fencedCidrs()).containsExactly(EAST_NODES);
    assertThat(errorOf(() -> TwoSites.rw(sites.east, id))).isEqualTo(ErrorCode.PERMISSION_DENIED);

    sites.west.unfence(List.of(EAST_NODES));
    TwoSites.await("east learns the unfence").until(() -> sites.east.fencedCidrs().isEmpty());
    TwoSites.rw(sites.east, id);
  }

  @Test
  void withFenceScopeSiteAFenceOnWestLeavesEastsClientsWriting() {
    sites = TwoSites.start(tmp, FenceScope.SITE);
    String id = sites.east.createVolume("separate", MIB, Map.of()).volumeId();
    String handle = TwoSites.rw(sites.east, id);

    sites.west.fence(List.of(EAST_NODES));

    assertThat(sites.east.fencedCidrs()).isEmpty();
    sites.east.write(handle, 0, pattern(4, 10));
    assertThat(sites.east.read(handle, 0, 10)).isEqualTo(pattern(4, 10));
  }

  @Test
  void theFenceNotEnforcedDefectStillLetsTheFencedClientsWriteOnBothSites() {
    sites = TwoSites.start(tmp, FenceScope.MIRROR, Defect.FENCE_NOT_ENFORCED);
    String id = sites.east.createVolume("leaky", MIB, Map.of()).volumeId();
    String handle = TwoSites.rw(sites.east, id);

    sites.west.fence(List.of(EAST_NODES));

    assertThat(sites.east.fencedCidrs()).as("reported fenced").containsExactly(EAST_NODES);
    sites.east.write(handle, 0, pattern(5, 10));
    assertThat(sites.east.read(handle, 0, 10)).isEqualTo(pattern(5, 10));
  }
}
