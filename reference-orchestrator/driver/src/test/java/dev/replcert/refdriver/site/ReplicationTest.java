package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.WAIT;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.rw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationTest {

  @TempDir Path tmp;
  TwoSites sites;

  @BeforeEach
  void start() {
    sites = TwoSites.start(tmp);
  }

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void writtenRecordsReachTheSecondaryByteForByte() {
    String id = sites.replicatedVolume("data", 4 * MIB);
    String handle = rw(sites.east, id);
    sites.east.write(handle, 10, pattern(1, 100_000));
    sites.east.write(handle, 3 * MIB, pattern(2, 5000));

    await("secondary identical to the primary")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id)));
  }
}
