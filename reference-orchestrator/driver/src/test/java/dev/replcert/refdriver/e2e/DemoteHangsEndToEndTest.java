package dev.replcert.refdriver.e2e;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.volumeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.testing.SiteClients;
import dev.replcert.refdriver.testing.TwoSites;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DEMOTE_HANGS through the real engine: the client's deadline still ends its call
 * (DEADLINE_EXCEEDED), and the demote that never returns holds the volume, so the next operation
 * on it is ABORTED instead of piling up behind it.
 */
class DemoteHangsEndToEndTest {

  @Test
  void aHangingDemoteEndsInDeadlineExceededAndLaterOperationsAreAborted() throws Exception {
    try (TwoSites sites = TwoSites.withEastDefects(Defect.DEMOTE_HANGS)) {
      SiteClients east = sites.eastClients();
      String id = east.createVolume("hangs", MIB);
      ReplicationSource source = volumeSource(id);
      east.enable(source);
      DemoteVolumeRequest demote = DemoteVolumeRequest.newBuilder().setReplicationSource(source).build();

      assertCode(
          Status.Code.DEADLINE_EXCEEDED, () -> east.replication().withDeadlineAfter(500, TimeUnit.MILLISECONDS).demoteVolume(demote));

      Status aborted = assertCode(Status.Code.ABORTED, () -> east.replication().demoteVolume(demote));
      assertThat(aborted.getDescription()).isEqualTo("an operation on " + id + " is already in progress");
      assertCode(Status.Code.ABORTED, () -> east.promote(source, false));
    }
  }
}
