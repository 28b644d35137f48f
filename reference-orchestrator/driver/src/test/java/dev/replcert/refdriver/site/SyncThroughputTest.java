package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.rw;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quick measurement of a full initial sync of 256 MiB against plain sequential copies of the
 * same bytes (with and without fsync), after warming the JIT up; best of three rounds. Only with
 * {@code -Dreplcert.bench=true}; prints the numbers (the benchmark proper lives elsewhere).
 */
@EnabledIfSystemProperty(named = "replcert.bench", matches = "true")
class SyncThroughputTest {

  @TempDir Path tmp;

  @Test
  void initialFullSyncAgainstPlainCopy() throws Exception {
    long size = 256 * MIB;
    try (TwoSites sites = TwoSites.start(tmp, Duration.ofHours(1), Set.of(), Set.of())) {
      for (int i = 0; i < 3; i++) {
        enableAndAwaitFirstSync(sites, filled(sites, "warmup-" + i, 64 * MIB));
        Path scratch = tmp.resolve("warm.img");
        Files.write(scratch, pattern(i, (int) (64 * MIB)));
        copy(scratch, tmp.resolve("warm-copy.img"), i % 2 == 0);
      }
      double copy = Double.MAX_VALUE;
      double copySync = Double.MAX_VALUE;
      double sync = Double.MAX_VALUE;
      for (int round = 0; round < 3; round++) {
        String id = filled(sites, "bench-" + round, size);
        Path image = sites.root("east").resolve("volumes/" + id + "/data.img");
        double c = time(() -> copy(image, tmp.resolve("copy1.img"), false));
        double cs = time(() -> copy(image, tmp.resolve("copy2.img"), true));
        double s = time(() -> enableAndAwaitFirstSync(sites, id));
        System.out.printf("round %d: sync %.3f s, copy %.3f s, copy+fsync %.3f s%n", round, s, c, cs);
        copy = Math.min(copy, c);
        copySync = Math.min(copySync, cs);
        sync = Math.min(sync, s);
      }
      System.out.printf(
          "full sync %.3f s (%.0f MB/s); copy %.3f s (%.0f MB/s) ratio %.2f; copy+fsync %.3f s (%.0f MB/s) ratio %.2f%n",
          sync, size / sync / 1e6, copy, size / copy / 1e6, copy / sync, copySync, size / copySync / 1e6, copySync / sync);
    }
  }

  private static String filled(TwoSites sites, String name, long size) {
    String id = sites.east.createVolume(name, size, Map.of()).volumeId();
    String handle = rw(sites.east, id);
    byte[] chunk = pattern(7, (int) (4 * MIB));
    for (long off = 0; off < size; off += chunk.length) {
      chunk[0]++;
      sites.east.write(handle, off, chunk);
    }
    sites.east.flush(handle);
    return id;
  }

  private static void enableAndAwaitFirstSync(TwoSites sites, String id) {
    sites.east.enableReplication(Target.volume(id), Map.of());
    Awaitility.await("initial sync of " + id + " acknowledged")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> sites.east.replicationStatus(Target.volume(id)).lastSyncTime() != null);
  }

  interface Body {
    void run() throws Exception;
  }

  private static double time(Body body) throws Exception {
    long start = System.nanoTime();
    body.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static void copy(Path from, Path to, boolean sync) throws Exception {
    byte[] buffer = new byte[1 << 20];
    try (FileInputStream in = new FileInputStream(from.toFile());
        FileOutputStream out = new FileOutputStream(to.toFile())) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      if (sync) {
        out.getFD().sync();
      }
    }
    Files.delete(to);
  }
}
