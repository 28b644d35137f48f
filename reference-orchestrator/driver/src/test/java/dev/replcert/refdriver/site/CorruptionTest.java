package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.Defect;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delta corrupted on the way (the sender flips a byte after checksumming) is rejected whole. */
class CorruptionTest {

  @TempDir Path tmp;

  @Test
  void corruptedDeltaIsRejectedAndTheReplicaKeepsItsPreviousPoint() {
    try (TwoSites sites =
        TwoSites.start(tmp, TwoSites.PERIOD, Set.of(Defect.CORRUPT_BLOCK_IN_TRANSFER), Set.of())) {
      String id = sites.east.createVolume("corrupt", MIB, Map.of()).volumeId();
      sites.east.enableReplication(Target.volume(id), Map.of()); // empty: nothing to corrupt
      sites.awaitHealthy(id);
      byte[] before = readAll(sites.west, id);

      write(sites.east, id, BLOCK, pattern(90, 3 * BLOCK));
      await("the primary reports the rejected sync")
          .until(() -> sites.east.replicationStatus(Target.volume(id)).message().contains("checksum mismatch"));
      assertThat(sites.east.replicationStatus(Target.volume(id)).health()).isEqualTo(ReplicationStatus.Health.DEGRADED);
      assertThat(readAll(sites.west, id)).as("no block of the corrupted sync applied").isEqualTo(before);
      assertThat(sites.west.volume(id).role()).isEqualTo(VolumeInfo.Role.SECONDARY);
    }
  }
}
