package dev.replcert.harness.selfcert;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;

import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.RunRecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a layer's certification suites in this JVM, as {@code ./mvnw verify -Pcert} would, against
 * the lab's reference driver with chosen defects switched on; returns the run record the suites
 * wrote. Suites are selected whole or by the plan ids of their methods ({@link Suites}), so a
 * defect's check runs only the tests expected to catch it.
 */
public final class SuiteRunner {

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Suites suites;
  private final Set<String> planIds;
  private final Set<String> defects;
  private final Map<String, String> certOverrides;
  private final String syncPeriod;

  SuiteRunner(Suites suites, Set<String> planIds) {
    this(suites, planIds, Set.of(), Map.of(), suites.syncPeriod());
  }

  private SuiteRunner(
      Suites suites, Set<String> planIds, Set<String> defects, Map<String, String> certOverrides, String syncPeriod) {
    this.suites = suites;
    this.planIds = planIds;
    this.defects = defects;
    this.certOverrides = certOverrides;
    this.syncPeriod = syncPeriod;
  }

  /** The reference driver's defects to switch on, by catalog id (none: the correct driver). */
  public SuiteRunner withDefects(Collection<String> defects) {
    return new SuiteRunner(suites, planIds, Set.copyOf(defects), certOverrides, syncPeriod);
  }

  /**
   * cert.yaml overrides for this run ({@code cert.timeouts.overrides.fence} to {@code 5s}, ...),
   * passed as this launcher run's own configuration parameter: runs execute concurrently, so
   * system properties would leak from one into another.
   */
  public SuiteRunner withCertOverrides(Map<String, String> overrides) {
    return new SuiteRunner(suites, planIds, defects, Map.copyOf(overrides), syncPeriod);
  }

  /** The lab's sync period for this run, Go-style (the {@link Suites}' unless set). */
  public SuiteRunner withSyncPeriod(String period) {
    return new SuiteRunner(suites, planIds, defects, certOverrides, period);
  }

  /** Runs the selected tests; the record of the run, with the launcher's own summary. */
  public SuiteRun run() {
    Path dir = tempDir();
    Map<String, String> parameters = new LinkedHashMap<>();
    if (syncPeriod != null) {
      parameters.put("replcert.lab.syncPeriod", syncPeriod);
    }
    parameters.put("replcert.lab.defects", String.join(",", new TreeSet<>(defects)));
    parameters.put("replcert.runRecord.dir", dir.toString());
    parameters.put("replcert.runId", "selfcert-" + RUNS.incrementAndGet());
    parameters.put("replcert.module", suites.module());
    parameters.put(
        "replcert.certOverrides",
        certOverrides.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(";")));
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectors())
            .filters(includeTags(suites.tagExpression()))
            .configurationParameters(parameters)
            .build();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    long started = System.nanoTime();
    Suites.launcher().execute(request, summary);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Path file = dir.resolve("run-record.json");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(
          "the suites wrote no run record (" + describe() + "); launcher summary: " + failures(summary.getSummary()));
    }
    RunRecord record = RunRecordJson.read(file);
    deleteQuietly(file);
    deleteQuietly(dir);
    return new SuiteRun(describe(), record, summary.getSummary(), took);
  }

  private List<DiscoverySelector> selectors() {
    if (planIds.isEmpty()) {
      return List.of(selectPackage(suites.packageName()));
    }
    Map<String, Method> index = suites.planIndex();
    List<DiscoverySelector> selectors = new ArrayList<>();
    for (String id : new TreeSet<>(planIds)) {
      Method method = index.get(id);
      if (method == null) {
        throw new IllegalArgumentException(
            "no " + suites.layer() + " test carries plan id " + id + "; tests: " + index.keySet());
      }
      selectors.add(selectMethod(method.getDeclaringClass(), method));
    }
    return selectors;
  }

  private String describe() {
    return (planIds.isEmpty() ? "all " + suites.layer() + " suites" : "plan items " + new TreeSet<>(planIds))
        + " against the reference driver with "
        + (defects.isEmpty() ? "no defect" : "defects " + new TreeSet<>(defects));
  }

  /** The launcher's counts and every failure it saw, one per line. */
  public static String failures(TestExecutionSummary summary) {
    return summary.getTestsFoundCount() + " found, " + summary.getTestsSucceededCount() + " succeeded, "
        + summary.getTotalFailureCount() + " failed"
        + summary.getFailures().stream()
            .map(f -> "\n  " + f.getTestIdentifier().getDisplayName() + ": " + f.getException())
            .collect(Collectors.joining());
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("replcert-selfcert-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a leftover temporary file is no reason to fail a run
    }
  }
}
