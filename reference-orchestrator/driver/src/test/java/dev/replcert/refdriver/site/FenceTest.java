package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network fence: fenced client addresses can neither publish nor do I/O, until unfenced. */
class FenceTest {

  @TempDir Path tmp;
  TwoSites sites;

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void fencedClientsAreCutOffUntilUnfenced() {
    sites = TwoSites.start(tmp);
    String id = sites.east.createVolume("fenced", MIB, Map.of()).volumeId();
    String handle = TwoSites.rw(sites.east, id); // east-node-1 is 192.0.2.11

    sites.east.fence(List.of("192.0.2.0/24"));
    sites.east.fence(List.of("192.0.2.0/24")); // idempotent
    assertThat(sites.east.fencedCidrs()).containsExactly("192.0.2.0/24");
    assertThat(errorOf(() -> sites.east.publish(id, "east-node-1", "/mnt/other", false))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(errorOf(() -> sites.east.write(handle, 0, pattern(50, 10)))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(errorOf(() -> sites.east.read(handle, 0, 10))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(sites.west.fencedCidrs()).as("the fence is per site").isEmpty();

    sites.stopEast();
    sites.startEast();
    assertThat(sites.east.fencedCidrs()).as("persisted").containsExactly("192.0.2.0/24");

    sites.east.unfence(List.of("192.0.2.0/24"));
    sites.east.unfence(List.of("192.0.2.0/24"));
    assertThat(sites.east.fencedCidrs()).isEmpty();
    sites.east.write(handle, 0, pattern(51, 10));
    assertThat(sites.east.read(handle, 0, 10)).isEqualTo(pattern(51, 10));
  }

  @Test
  void otherRangesAndBadRangesAreTellingApart() {
    sites = TwoSites.start(tmp);
    String id = sites.east.createVolume("ranges", MIB, Map.of()).volumeId();
    sites.east.fence(List.of("198.51.100.0/24", "2001:db8::/32"));
    TwoSites.rw(sites.east, id); // 192.0.2.11 is outside both
    assertThat(errorOf(() -> sites.east.fence(List.of("192.0.2.0/33")))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(errorOf(() -> sites.east.fence(List.of("example.com/24")))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    sites.east.fence(List.of("192.0.2.11")); // a single address
    assertThat(errorOf(() -> TwoSites.ro(sites.east, id))).isEqualTo(ErrorCode.PERMISSION_DENIED);
  }
}
