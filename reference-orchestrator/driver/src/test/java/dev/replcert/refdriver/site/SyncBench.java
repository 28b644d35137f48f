package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.ro;
import static dev.replcert.refdriver.site.TwoSites.rw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference driver's sync benchmark (issue 3, "Benchmark"). Runs only under {@code -Pbench}
 * (surefire includes {@code *Bench} there and only there; the profile also sets
 * {@code replcert.bench}).
 *
 * <p>Two sites over TCP loopback, after a JIT warm-up, best of three rounds, in the same run:
 *
 * <ol>
 *   <li>full initial sync of a 256 MiB volume filled with data against a plain sequential copy of
 *       the same image file with fsync (the sync is durable); the copy without fsync is recorded for
 *       information. Ratio = sync throughput / copy throughput, target at least 0.5.
 *   <li>delta sync after rewriting 1 % of the volume (whole random blocks spread across it) against
 *       the full sync: ratio = delta time / full time, target at most 0.05; plus bytes shipped
 *       ({@code lastSyncBytes}) against bytes changed.
 * </ol>
 *
 * Writes {@code target/bench/refdriver-sync.json}. A missed target never fails the build; a sync
 * that did not happen does (SHA-256 of both sites' volumes must match after every sync).
 */
@EnabledIfSystemProperty(named = "replcert.bench", matches = "true")
class SyncBench {

  static final long SIZE = 256 * MIB;
  static final long WARMUP_SIZE = 64 * MIB;
  static final int WARMUPS = 3;
  static final int ROUNDS = 3;
  static final double CHANGED_FRACTION = 0.01;

  static final double TARGET_SYNC_VS_COPY_MIN = 0.5;
  static final double TARGET_DELTA_VS_FULL_MAX = 0.05;
  static final double TARGET_SHIPPED_VS_CHANGED_MIN = 1.0;
  static final double TARGET_SHIPPED_VS_CHANGED_MAX = 1.1;

  @TempDir Path tmp;

  /** One round's raw measurements (seconds and bytes). */
  record Round(
      String volume,
      double copySeconds,
      double copyFsyncSeconds,
      double fullSyncSeconds,
      double fullSyncEngineSeconds,
      long fullSyncShippedBytes,
      int changedBlocks,
      long changedBytes,
      double deltaSyncSeconds,
      double deltaSyncEngineSeconds,
      long deltaSyncShippedBytes,
      double resumeCallSeconds,
      double copyFsyncCpuSeconds,
      double fullSyncCpuSeconds,
      Map<String, Double> fullSyncCpuByThreadMs,
      Map<String, Double> fullSyncPhasesMs,
      Map<String, Double> deltaSyncPhasesMs,
      String sha256) {}

  @Test
  void fullAndDeltaSyncAgainstPlainCopy() throws Exception {
    List<Round> rounds = new ArrayList<>();
    try (TwoSites sites = TwoSites.start(tmp, Duration.ofHours(1), Set.of(), Set.of())) {
      for (int i = 0; i < WARMUPS; i++) {
        Round warm = round(sites, "warmup-" + i, WARMUP_SIZE, i);
        System.out.printf("warm-up %d: %s%n", i, warm);
      }
      for (int r = 0; r < ROUNDS; r++) {
        Round round = round(sites, "bench-" + r, SIZE, 100 + r);
        System.out.printf(
            "round %d: full sync %.3f s, copy %.3f s, copy+fsync %.3f s, delta %.4f s, shipped %d of %d changed%n",
            r,
            round.fullSyncSeconds,
            round.copySeconds,
            round.copyFsyncSeconds,
            round.deltaSyncSeconds,
            round.deltaSyncShippedBytes,
            round.changedBytes);
        System.out.printf(
            "round %d: CPU time: full sync %.3f s, copy+fsync %.3f s; full sync by thread (ms) %s%n",
            r, round.fullSyncCpuSeconds, round.copyFsyncCpuSeconds, round.fullSyncCpuByThreadMs);
        System.out.printf("round %d: full sync phases (ms) %s%n", r, round.fullSyncPhasesMs);
        System.out.printf(
            "round %d: delta sync phases (ms) %s, resume call %.2f ms%n",
            r, round.deltaSyncPhasesMs, round.resumeCallSeconds * 1e3);
        rounds.add(round);
      }
    }

    double copy = best(rounds, Round::copySeconds);
    double copyFsync = best(rounds, Round::copyFsyncSeconds);
    double full = best(rounds, Round::fullSyncSeconds);
    double delta = best(rounds, Round::deltaSyncSeconds);
    long changed = rounds.get(0).changedBytes;
    long shipped = rounds.stream().mapToLong(Round::deltaSyncShippedBytes).max().orElseThrow();

    double syncVsCopy = copyFsync / full; // throughputs over the same bytes: (S/full) / (S/copyFsync)
    double syncVsCopyNoFsync = copy / full;
    double deltaVsFull = delta / full;
    double shippedVsChanged = (double) shipped / changed;
    boolean syncVsCopyMet = syncVsCopy >= TARGET_SYNC_VS_COPY_MIN;
    boolean deltaVsFullMet = deltaVsFull <= TARGET_DELTA_VS_FULL_MAX;
    boolean shippedMet =
        shippedVsChanged >= TARGET_SHIPPED_VS_CHANGED_MIN && shippedVsChanged <= TARGET_SHIPPED_VS_CHANGED_MAX;

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", "replcert reference driver: full and delta sync (issue 3)");
    json.put("timestamp", Instant.now().toString());
    json.put("machine", machine());
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("volumeBytes", SIZE);
    setup.put("blockBytes", BLOCK);
    setup.put("changedFraction", CHANGED_FRACTION);
    setup.put("warmupRounds", WARMUPS);
    setup.put("warmupVolumeBytes", WARMUP_SIZE);
    setup.put("rounds", ROUNDS);
    setup.put("transport", "two Site engines in one JVM over TCP loopback");
    setup.put("storageDir", tmp.toString());
    setup.put(
        "timing",
        "wall clock: full sync from EnableReplication to the first acknowledged sync seen in the status; "
            + "delta sync from Resume (which triggers a sync) to the next acknowledged sync; polled every 1 ms;"
            + " per-phase times of each sync as the engine measured them (peer.* on the receiving site)");
    json.put("setup", setup);
    json.put("rounds", rounds);
    Map<String, Object> bestValues = new LinkedHashMap<>();
    bestValues.put("copySeconds", copy);
    bestValues.put("copyFsyncSeconds", copyFsync);
    bestValues.put("fullSyncSeconds", full);
    bestValues.put("deltaSyncSeconds", delta);
    bestValues.put("copyMBps", SIZE / copy / 1e6);
    bestValues.put("copyFsyncMBps", SIZE / copyFsync / 1e6);
    bestValues.put("fullSyncMBps", SIZE / full / 1e6);
    bestValues.put("changedBytes", changed);
    bestValues.put("deltaShippedBytesMax", shipped);
    json.put("best", bestValues);
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("fullSyncThroughputVsFsyncCopy", syncVsCopy);
    ratios.put("fullSyncThroughputVsCopyNoFsync_info", syncVsCopyNoFsync);
    ratios.put("deltaTimeVsFullTime", deltaVsFull);
    ratios.put("shippedVsChangedBytes", shippedVsChanged);
    json.put("ratios", ratios);
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("fullSyncThroughputVsFsyncCopy", target(">=", TARGET_SYNC_VS_COPY_MIN, syncVsCopy, syncVsCopyMet));
    targets.put("deltaTimeVsFullTime", target("<=", TARGET_DELTA_VS_FULL_MAX, deltaVsFull, deltaVsFullMet));
    Map<String, Object> shippedTarget = new LinkedHashMap<>();
    shippedTarget.put("comparison", "between (approximately 1; whole blocks are shipped)");
    shippedTarget.put("min", TARGET_SHIPPED_VS_CHANGED_MIN);
    shippedTarget.put("max", TARGET_SHIPPED_VS_CHANGED_MAX);
    shippedTarget.put("value", shippedVsChanged);
    shippedTarget.put("met", shippedMet);
    targets.put("shippedVsChangedBytes", shippedTarget);
    json.put("targets", targets);
    json.put("allTargetsMet", syncVsCopyMet && deltaVsFullMet && shippedMet);

    Path dir = Path.of(System.getProperty("replcert.bench.dir", "target/bench"));
    Files.createDirectories(dir);
    Path out = dir.resolve("refdriver-sync.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);

    System.out.printf(
        "%nSyncBench (%d cores, Java %s, best of %d after %d warm-ups): a full initial sync of %d MiB took %.3f s"
            + " (%.0f MB/s) against %.3f s (%.0f MB/s) for a plain sequential copy with fsync, ratio %.2f"
            + " (target >= %.2f, %s; without fsync the copy took %.3f s, ratio %.2f); a delta sync after"
            + " rewriting %d random %d KiB blocks (%d bytes, 1 %%) took %.4f s, %.4f of the full sync"
            + " (target <= %.2f, %s), shipping %d bytes, %.3f x the changed bytes (%s). JSON: %s%n%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        ROUNDS,
        WARMUPS,
        SIZE / MIB,
        full,
        SIZE / full / 1e6,
        copyFsync,
        SIZE / copyFsync / 1e6,
        syncVsCopy,
        TARGET_SYNC_VS_COPY_MIN,
        syncVsCopyMet ? "met" : "MISSED",
        copy,
        syncVsCopyNoFsync,
        rounds.get(0).changedBlocks,
        BLOCK / 1024,
        changed,
        delta,
        deltaVsFull,
        TARGET_DELTA_VS_FULL_MAX,
        deltaVsFullMet ? "met" : "MISSED",
        shipped,
        shippedVsChanged,
        shippedMet ? "met" : "MISSED",
        out.toAbsolutePath());
  }

  /** Fill, copy twice, full sync, verify, change 1 %, delta sync, verify. */
  private Round round(TwoSites sites, String name, long size, long seed) throws Exception {
    String id = filled(sites, name, size, seed);
    Path image = sites.root("east").resolve("volumes/" + id + "/data.img");
    assertThat(Files.size(image)).as("east image of %s", id).isEqualTo(size);
    double copy = time(() -> copy(image, tmp.resolve("copy.img"), false));
    long cpu0 = cpuNanos();
    double copyFsync = time(() -> copy(image, tmp.resolve("copy-fsync.img"), true));
    long cpu1 = cpuNanos();

    Target target = Target.volume(id);
    long cpuFull = cpuNanos();
    Map<Long, Long> threadsBefore = threadCpu();
    double full =
        time(
            () -> {
              sites.east.enableReplication(target, Map.of());
              await("initial sync of " + id + " acknowledged")
                  .until(() -> sites.east.replicationStatus(target).lastSyncTime() != null);
            });
    long cpu2 = cpuNanos();
    Map<String, Double> byThread = cpuByThread(threadsBefore, threadCpu(), cpu2 - cpuFull);
    ReplicationStatus afterFull = sites.east.replicationStatus(target);
    Map<String, Double> fullPhases = phasesAfter(sites, target, Map.of());
    assertThat(afterFull.lastSyncBytes()).as("bytes shipped by the initial sync of %s", id).isPositive();
    String fullSum = sha256(sites.east, id);
    assertThat(sha256(sites.west, id)).as("west holds what east holds after the full sync of %s", id).isEqualTo(fullSum);

    // rewrite 1 % of the volume: whole blocks at random, distinct positions spread across it
    int blocks = (int) (size / BLOCK);
    int changedBlocks = (int) Math.ceil(blocks * CHANGED_FRACTION);
    Random random = new Random(seed);
    TreeSet<Integer> picked = new TreeSet<>();
    while (picked.size() < changedBlocks) {
      picked.add(random.nextInt(blocks));
    }
    String handle = rw(sites.east, id);
    for (int block : picked) {
      sites.east.write(handle, (long) block * BLOCK, pattern(seed * 1_000_003L + block, BLOCK));
    }
    sites.east.flush(handle);
    long changedBytes = (long) changedBlocks * BLOCK;
    String deltaSum = sha256(sites.east, id);
    assertThat(deltaSum).as("the 1 %% rewrite changed %s", id).isNotEqualTo(fullSum);

    // pause (untimed) then resume: Resume triggers a sync at once (the sites' own period is an hour)
    Instant before = afterFull.lastSyncTime();
    sites.east.pause(target);
    Map<String, Duration> phasesBefore = sites.east.lastSyncPhases(target);
    double[] resume = new double[1];
    double delta =
        time(
            () -> {
              resume[0] = time(() -> sites.east.resume(target));
              await("delta sync of " + id + " acknowledged")
                  .until(() -> sites.east.replicationStatus(target).lastSyncTime().isAfter(before));
            });
    ReplicationStatus afterDelta = sites.east.replicationStatus(target);
    Map<String, Double> deltaPhases = phasesAfter(sites, target, phasesBefore);
    assertThat(sha256(sites.west, id)).as("west holds what east holds after the delta sync of %s", id).isEqualTo(deltaSum);
    assertThat(afterDelta.lastSyncBytes())
        .as("bytes shipped by the delta sync of %s (every changed block at least once)", id)
        .isGreaterThanOrEqualTo(changedBytes);

    return new Round(
        id,
        copy,
        copyFsync,
        full,
        seconds(afterFull.lastSyncDuration()),
        afterFull.lastSyncBytes(),
        changedBlocks,
        changedBytes,
        delta,
        seconds(afterDelta.lastSyncDuration()),
        afterDelta.lastSyncBytes(),
        resume[0],
        (cpu1 - cpu0) / 1e9,
        (cpu2 - cpuFull) / 1e9,
        byThread,
        fullPhases,
        deltaPhases,
        deltaSum);
  }

  private static ConditionFactory await(String condition) {
    return Awaitility.await(condition)
        .atMost(Duration.ofMinutes(2))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1));
  }

  private static String filled(TwoSites sites, String name, long size, long seed) {
    String id = sites.east.createVolume(name, size, Map.of()).volumeId();
    String handle = rw(sites.east, id);
    byte[] chunk = pattern(seed, (int) (4 * MIB));
    for (long off = 0; off < size; off += chunk.length) {
      chunk[0]++;
      chunk[chunk.length / 2]++;
      sites.east.write(handle, off, chunk);
    }
    sites.east.flush(handle);
    return id;
  }

  /** SHA-256 of a whole volume read through a read-only publication, 8 MiB at a time. */
  private static String sha256(Site site, String id) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    String handle = ro(site, id);
    long capacity = site.volume(id).capacityBytes();
    int step = (int) (8 * MIB);
    for (long off = 0; off < capacity; off += step) {
      digest.update(site.read(handle, off, (int) Math.min(step, capacity - off)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("javaVersion", System.getProperty("java.version"));
    m.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    return m;
  }

  private static Map<String, Object> target(String comparison, double bound, double value, boolean met) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("comparison", comparison);
    t.put("bound", bound);
    t.put("value", value);
    t.put("met", met);
    return t;
  }

  private static double best(List<Round> rounds, ToDoubleFunction<Round> value) {
    return rounds.stream().mapToDouble(value).min().orElseThrow();
  }

  /**
   * The phases of the sync that just finished (untimed: the engine publishes them just after the
   * status, once the sync has released its view).
   */
  private static Map<String, Double> phasesAfter(TwoSites sites, Target target, Map<String, Duration> before) {
    await("phases of the last sync published")
        .until(() -> sites.east.lastSyncPhases(target) != before && sites.east.lastSyncPhases(target).containsKey("finish"));
    return millis(sites.east.lastSyncPhases(target));
  }

  /** Phase durations in milliseconds, rounded to microseconds, in the engine's order. */
  private static Map<String, Double> millis(Map<String, Duration> phases) {
    Map<String, Double> out = new LinkedHashMap<>();
    phases.forEach((phase, d) -> out.put(phase, Math.round(d.toNanos() / 1e3) / 1e3));
    return out;
  }

  /** CPU time of the whole JVM so far (all threads): how much work a step took, whatever the load. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static Map<Long, Long> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      cpu.put(id, threads.getThreadCpuTime(id));
    }
    return cpu;
  }

  /**
   * CPU milliseconds by thread kind (thread names without their numbers) between two snapshots,
   * largest first; what no Java thread accounts for (garbage collection, JIT) is "jvm-internal".
   */
  private static Map<String, Double> cpuByThread(Map<Long, Long> before, Map<Long, Long> after, long processNanos) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byKind = new java.util.HashMap<>();
    long javaThreads = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      java.lang.management.ThreadInfo info = threads.getThreadInfo(e.getKey());
      if (info == null || e.getValue() < 0) {
        continue;
      }
      long used = e.getValue() - Math.max(0, before.getOrDefault(e.getKey(), 0L));
      byKind.merge(info.getThreadName().replaceAll("[0-9]+", "#"), used, Long::sum);
      javaThreads += used;
    }
    byKind.put("jvm-internal", processNanos - javaThreads);
    long gcCount = 0;
    long gcMillis = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += gc.getCollectionCount();
      gcMillis += gc.getCollectionTime();
    }
    long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    System.out.printf("  (so far: %d collections, %d ms collecting, %d ms compiling)%n", gcCount, gcMillis, jitMillis);
    Map<String, Double> out = new LinkedHashMap<>();
    byKind.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(10)
        .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() / 1e4) / 1e2));
    return out;
  }

  private static double seconds(Duration d) {
    return d == null ? Double.NaN : d.toNanos() / 1e9;
  }

  interface Body {
    void run() throws Exception;
  }

  private static double time(Body body) throws Exception {
    long start = System.nanoTime();
    body.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** A plain sequential copy, 1 MiB at a time, optionally fsynced; the copy is deleted afterwards. */
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
