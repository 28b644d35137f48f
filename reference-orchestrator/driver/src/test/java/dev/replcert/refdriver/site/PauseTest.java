package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vendor extension: a paused volume ships nothing; resume ships everything changed meanwhile. */
class PauseTest {

  @TempDir Path tmp;
  TwoSites sites;

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void pausedVolumeShipsNothingAndResumeCatchesUp() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("paused", MIB);
    Target volume = Target.volume(id);
    sites.east.pause(volume);
    assertThat(sites.east.paused(volume)).isTrue();
    Instant frozen = sites.east.replicationStatus(volume).lastSyncTime();

    write(sites.east, id, 0, pattern(60, 4000));
    Awaitility.await("nothing reaches the peer while paused")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !Scenarios.arrived(sites, id, 0, pattern(60, 4000)));
    ReplicationStatus paused = sites.east.replicationStatus(volume);
    assertThat(paused.lastSyncTime()).as("last sync time stops").isEqualTo(frozen);
    assertThat(paused.health()).isEqualTo(ReplicationStatus.Health.DEGRADED);
    assertThat(paused.message()).contains("paused");

    sites.east.resume(volume);
    assertThat(sites.east.paused(volume)).isFalse();
    sites.awaitIdentical(id);
    await("HEALTHY again").until(() -> sites.east.replicationStatus(volume).health() == ReplicationStatus.Health.HEALTHY);
  }
}
