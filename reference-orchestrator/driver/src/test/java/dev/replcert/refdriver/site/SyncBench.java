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
 * <p>Two sites over TCP loopback in one JVM. After {@link #WARMUPS} JIT warm-up repetitions on a
 * small volume, {@link #REPETITIONS} repetitions, each on a new 256 MiB volume filled with data:
 *
 * <ol>
 *   <li>a plain sequential copy of the primary's image file (1 MiB reads and writes) ending with
 *       fsync, then the full initial sync, then the same copy again: the baseline brackets the sync
 *       it is compared with, so both see the same machine load. Both make the bytes durable (the
 *       sync's secondary fsyncs the staged image before it acknowledges); a copy without fsync is
 *       recorded for information only. Ratio = sync throughput / copy throughput = median copy
 *       time / median full sync time, target at least 0.5;
 *   <li>{@link #DELTAS} delta syncs, each after rewriting 1 % of the volume (whole random blocks
 *       spread across it, flushed, untimed): ratio = median delta time / median full time, target
 *       at most 0.05; plus bytes shipped ({@code lastSyncBytes}) against bytes changed.
 * </ol>
 *
 * A full sync is timed from EnableReplication to the first acknowledged sync seen in the status
 * (it includes creating the replica); a delta from {@link Site#syncNow} to the next acknowledged
 * sync seen in the status. Both end when the secondary holds the sync durably (its journal or
 * staged image fsynced, applied, acknowledged) and the primary shows it in its status, which it
 * does only once its own record of the point is durable (last_sync_time never goes backwards
 * after a crash). Medians over the repetitions keep one disturbed measurement (other
 * builds share the machine) from deciding; the garbage of untimed steps is collected before each
 * timed one.
 *
 * <p>Writes {@code target/bench/refdriver-sync.json}. A missed target never fails the build; a sync
 * that did not happen does (SHA-256 of both sites' volumes must match after every sync).
 */
@EnabledIfSystemProperty(named = "replcert.bench", matches = "true")
class SyncBench {

  static final long SIZE = 256 * MIB;
  static final long WARMUP_SIZE = 64 * MIB;
  static final int WARMUPS = 3;
  static final int REPETITIONS = 5;
  static final int DELTAS = 3;
  static final double CHANGED_FRACTION = 0.01;

  static final double TARGET_SYNC_VS_COPY_MIN = 0.5;
  static final double TARGET_DELTA_VS_FULL_MAX = 0.05;
  static final double TARGET_SHIPPED_VS_CHANGED_MIN = 1.0;
  static final double TARGET_SHIPPED_VS_CHANGED_MAX = 1.1;

  @TempDir Path tmp;

  /** One delta sync's measurements. */
  record Delta(double seconds, double engineSeconds, long shippedBytes, Map<String, Double> phasesMs) {}

  /** One repetition's raw measurements (seconds and bytes). */
  record Repetition(
      String volume,
      double copyFsyncBeforeSeconds,
      double copyFsyncAfterSeconds,
      double copyNoFsyncSeconds,
      double fullSyncSeconds,
      double fullSyncEngineSeconds,
      long fullSyncShippedBytes,
      double fullSyncCpuSeconds,
      Map<String, Double> fullSyncCpuByThreadMs,
      Map<String, Double> fullSyncPhasesMs,
      int changedBlocks,
      long changedBytes,
      List<Delta> deltas,
      String sha256) {

    double fullVsCopy() {
      return (copyFsyncBeforeSeconds + copyFsyncAfterSeconds) / 2 / fullSyncSeconds;
    }
  }

  @Test
  void fullAndDeltaSyncAgainstPlainCopy() throws Exception {
    List<Repetition> reps = new ArrayList<>();
    try (TwoSites sites = TwoSites.start(tmp, Duration.ofHours(1), Set.of(), Set.of())) {
      for (int i = 0; i < WARMUPS; i++) {
        Repetition warm = repetition(sites, "warmup-" + i, WARMUP_SIZE, i);
        System.out.printf("warm-up %d: full %.3f s, deltas %s%n", i, warm.fullSyncSeconds, warm.deltas);
      }
      for (int r = 0; r < REPETITIONS; r++) {
        Repetition rep = repetition(sites, "bench-" + r, SIZE, 100 + r);
        System.out.printf(
            "rep %d: copy+fsync %.3f / %.3f s, full sync %.3f s (ratio %.2f), copy %.3f s; deltas %s s%n",
            r,
            rep.copyFsyncBeforeSeconds,
            rep.copyFsyncAfterSeconds,
            rep.fullSyncSeconds,
            rep.fullVsCopy(),
            rep.copyNoFsyncSeconds,
            rep.deltas.stream().map(d -> String.format("%.4f", d.seconds)).toList());
        System.out.printf(
            "rep %d: CPU: full sync %.3f s by thread (ms) %s%n", r, rep.fullSyncCpuSeconds, rep.fullSyncCpuByThreadMs);
        System.out.printf("rep %d: full sync phases (ms) %s%n", r, rep.fullSyncPhasesMs);
        System.out.printf("rep %d: delta sync phases (ms) %s%n", r, rep.deltas.get(rep.deltas.size() - 1).phasesMs);
        reps.add(rep);
      }
    }

    List<Double> copies = new ArrayList<>();
    reps.forEach(r -> copies.addAll(List.of(r.copyFsyncBeforeSeconds, r.copyFsyncAfterSeconds)));
    List<Delta> deltas = reps.stream().flatMap(r -> r.deltas.stream()).toList();
    double copyFsync = median(copies);
    double copy = median(reps.stream().map(Repetition::copyNoFsyncSeconds).toList());
    double full = median(reps.stream().map(Repetition::fullSyncSeconds).toList());
    double delta = median(deltas.stream().map(Delta::seconds).toList());
    long changed = reps.get(0).changedBytes;
    long shipped = deltas.stream().mapToLong(Delta::shippedBytes).max().orElseThrow();

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
    setup.put("warmupRepetitions", WARMUPS);
    setup.put("warmupVolumeBytes", WARMUP_SIZE);
    setup.put("repetitions", REPETITIONS);
    setup.put("deltasPerRepetition", DELTAS);
    setup.put("statistic", "median over the repetitions (copies: two per repetition, before and after its full sync)");
    setup.put("transport", "two Site engines in one JVM over TCP loopback (control over gRPC, blocks over the bulk port)");
    setup.put("storageDir", tmp.toString());
    setup.put(
        "timing",
        "wall clock: full sync from EnableReplication to the first acknowledged sync seen in the status; "
            + "delta sync from syncNow to the next acknowledged sync; polled every 1 ms; both include the"
            + " secondary's fsyncs before its ack and the primary's durable record of the point (phase record);"
            + " copy = 1 MiB sequential read/write of the primary's image then fsync, before and after each full"
            + " sync; per-phase times as the engine measured them (peer.* on the receiving site)");
    json.put("setup", setup);
    json.put("repetitions", reps);
    Map<String, Object> medians = new LinkedHashMap<>();
    medians.put("copyFsyncSeconds", copyFsync);
    medians.put("copyNoFsyncSeconds", copy);
    medians.put("fullSyncSeconds", full);
    medians.put("deltaSyncSeconds", delta);
    medians.put("copyFsyncMBps", SIZE / copyFsync / 1e6);
    medians.put("fullSyncMBps", SIZE / full / 1e6);
    medians.put("fullSyncPhasesMs", medianPhases(reps.stream().map(Repetition::fullSyncPhasesMs).toList()));
    medians.put("deltaSyncPhasesMs", medianPhases(deltas.stream().map(Delta::phasesMs).toList()));
    medians.put("changedBytes", changed);
    medians.put("deltaShippedBytesMax", shipped);
    json.put("medians", medians);
    Map<String, Object> spread = new LinkedHashMap<>();
    spread.put("fullVsCopyPerRepetition", reps.stream().map(Repetition::fullVsCopy).toList());
    spread.put("deltaVsMedianFullPerDelta", deltas.stream().map(d -> d.seconds / full).toList());
    json.put("spread", spread);
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
        "%nSyncBench (%d cores, Java %s, medians of %d repetitions after %d warm-ups): a full initial sync of %d MiB"
            + " took %.3f s (%.0f MB/s) against %.3f s (%.0f MB/s) for a plain sequential copy with fsync, ratio %.2f"
            + " (target >= %.2f, %s; without fsync the copy took %.3f s, ratio %.2f); a delta sync after"
            + " rewriting %d random %d KiB blocks (%d bytes, 1 %%) took %.4f s, %.4f of the full sync"
            + " (target <= %.2f, %s), shipping %d bytes, %.3f x the changed bytes (%s). JSON: %s%n%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        REPETITIONS,
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
        reps.get(0).changedBlocks,
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

  /** Fill; copy, full sync, copy; verify; then {@link #DELTAS} times: change 1 %, delta sync, verify. */
  private Repetition repetition(TwoSites sites, String name, long size, long seed) throws Exception {
    String id = filled(sites, name, size, seed);
    settle();
    Path image = sites.root("east").resolve("volumes/" + id + "/data.img");
    assertThat(Files.size(image)).as("east image of %s", id).isEqualTo(size);
    double copyBefore = time(() -> copy(image, tmp.resolve("copy-fsync.img"), true));
    settle();

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
    long cpuAfter = cpuNanos();
    Map<String, Double> byThread = cpuByThread(threadsBefore, threadCpu(), cpuAfter - cpuFull);
    settle();
    double copyAfter = time(() -> copy(image, tmp.resolve("copy-fsync.img"), true));
    double copyNoFsync = time(() -> copy(image, tmp.resolve("copy.img"), false));
    ReplicationStatus afterFull = sites.east.replicationStatus(target);
    Map<String, Double> fullPhases = phasesAfter(sites, target, Map.of());
    assertThat(afterFull.lastSyncBytes()).as("bytes shipped by the initial sync of %s", id).isPositive();
    String sum = sha256(sites.east, id);
    assertThat(sha256(sites.west, id)).as("west holds what east holds after the full sync of %s", id).isEqualTo(sum);

    int blocks = (int) (size / BLOCK);
    int changedBlocks = (int) Math.ceil(blocks * CHANGED_FRACTION);
    List<Delta> deltas = new ArrayList<>();
    for (int d = 0; d < DELTAS; d++) {
      deltas.add(delta(sites, id, blocks, changedBlocks, seed * 31 + d));
    }
    return new Repetition(
        id,
        copyBefore,
        copyAfter,
        copyNoFsync,
        full,
        seconds(afterFull.lastSyncDuration()),
        afterFull.lastSyncBytes(),
        (cpuAfter - cpuFull) / 1e9,
        byThread,
        fullPhases,
        changedBlocks,
        (long) changedBlocks * BLOCK,
        deltas,
        sha256(sites.east, id));
  }

  /** Rewrites {@code changedBlocks} whole blocks at random distinct positions, then times their sync. */
  private Delta delta(TwoSites sites, String id, int blocks, int changedBlocks, long seed) throws Exception {
    Target target = Target.volume(id);
    String before = sha256(sites.east, id);
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
    String sum = sha256(sites.east, id);
    assertThat(sum).as("the 1 %% rewrite changed %s", id).isNotEqualTo(before);

    Instant last = sites.east.replicationStatus(target).lastSyncTime();
    Map<String, Duration> phasesBefore = sites.east.lastSyncPhases(target);
    settle();
    double seconds =
        time(
            () -> {
              sites.east.syncNow(target);
              await("delta sync of " + id + " acknowledged")
                  .until(() -> sites.east.replicationStatus(target).lastSyncTime().isAfter(last));
            });
    ReplicationStatus after = sites.east.replicationStatus(target);
    Map<String, Double> phases = phasesAfter(sites, target, phasesBefore);
    assertThat(sha256(sites.west, id)).as("west holds what east holds after the delta sync of %s", id).isEqualTo(sum);
    assertThat(after.lastSyncBytes())
        .as("bytes shipped by the delta sync of %s (every changed block at least once)", id)
        .isGreaterThanOrEqualTo((long) changedBlocks * BLOCK);
    return new Delta(seconds, seconds(after.lastSyncDuration()), after.lastSyncBytes(), phases);
  }

  /**
   * Collects the garbage the untimed steps made (checksumming whole volumes) before a timed one,
   * so neither the copy nor a sync pays for the other steps' collections.
   */
  private static void settle() {
    System.gc();
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Per phase, the median of its durations over {@code samples} (phases in first-seen order). */
  private static Map<String, Double> medianPhases(List<Map<String, Double>> samples) {
    Map<String, List<Double>> byPhase = new LinkedHashMap<>();
    samples.forEach(sample -> sample.forEach((phase, ms) -> byPhase.computeIfAbsent(phase, p -> new ArrayList<>()).add(ms)));
    Map<String, Double> out = new LinkedHashMap<>();
    byPhase.forEach((phase, values) -> out.put(phase, median(values)));
    return out;
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

  /** SHA-256 of a whole volume read through a read-only publication, 256 KiB at a time (not humongous). */
  private static String sha256(Site site, String id) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    String handle = ro(site, id);
    long capacity = site.volume(id).capacityBytes();
    int step = 256 << 10;
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
