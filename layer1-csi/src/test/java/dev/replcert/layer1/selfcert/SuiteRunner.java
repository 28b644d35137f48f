package dev.replcert.layer1.selfcert;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;

import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.RunRecordJson;
import dev.replcert.harness.record.TestResult;
import dev.replcert.refdriver.Defect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs layer-1 certification suites in this JVM, as {@code ./mvnw verify -Pcert} would, against the
 * lab's reference driver with chosen defects switched on; returns the run record the suites wrote.
 * Suites are selected whole (package {@value #PACKAGE}, tag {@value Certification#TAG}) or by the
 * plan ids of their methods, so a defect's check runs only the tests expected to catch it.
 */
final class SuiteRunner {

  static final String PACKAGE = "dev.replcert.layer1";

  /** The lab's sync period in these runs: fast, and what the certification runs use. */
  static final String SYNC_PERIOD = "200ms";

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Set<Defect> defects;
  private final Set<String> planIds;
  private final Map<String, String> certOverrides;
  private final String syncPeriod;

  private SuiteRunner(
      Set<Defect> defects, Set<String> planIds, Map<String, String> certOverrides, String syncPeriod) {
    this.defects = defects;
    this.planIds = planIds;
    this.certOverrides = certOverrides;
    this.syncPeriod = syncPeriod;
  }

  /** Every layer-1 certification suite. */
  static SuiteRunner allSuites() {
    return new SuiteRunner(Set.of(), Set.of(), Map.of(), SYNC_PERIOD);
  }

  /** Only the test methods carrying these plan ids. */
  static SuiteRunner planItems(Collection<String> planIds) {
    if (planIds.isEmpty()) {
      throw new IllegalArgumentException("no plan ids to run");
    }
    return new SuiteRunner(Set.of(), Set.copyOf(planIds), Map.of(), SYNC_PERIOD);
  }

  /** The reference driver's defects to switch on (none: the correct driver). */
  SuiteRunner withDefects(Collection<Defect> defects) {
    return new SuiteRunner(Set.copyOf(defects), planIds, certOverrides, syncPeriod);
  }

  /**
   * cert.yaml overrides for this run ({@code cert.timeouts.overrides.fence} to {@code 5s}, ...),
   * passed as this launcher run's own configuration parameter: runs execute concurrently, so
   * system properties would leak from one into another.
   */
  SuiteRunner withCertOverrides(Map<String, String> overrides) {
    return new SuiteRunner(defects, planIds, Map.copyOf(overrides), syncPeriod);
  }

  /** The lab's sync period for this run, Go-style ({@value #SYNC_PERIOD} unless set). */
  SuiteRunner withSyncPeriod(String period) {
    return new SuiteRunner(defects, planIds, certOverrides, period);
  }

  /** Runs the selected tests; the record of the run, with the launcher's own summary. */
  SuiteRun run() {
    Path dir = tempDir();
    String runId = "selfcert-" + RUNS.incrementAndGet();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("replcert.lab.syncPeriod", syncPeriod);
    parameters.put(
        "replcert.lab.defects", defects.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
    parameters.put("replcert.runRecord.dir", dir.toString());
    parameters.put("replcert.runId", runId);
    parameters.put("replcert.module", "layer1-csi-selfcert");
    parameters.put(
        "replcert.certOverrides",
        certOverrides.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(";")));
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectors())
            .filters(includeTags(Certification.TAG))
            .configurationParameters(parameters)
            .build();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    long started = System.nanoTime();
    launcher().execute(request, summary);
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

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a leftover temporary file is no reason to fail a run
    }
  }

  private List<DiscoverySelector> selectors() {
    if (planIds.isEmpty()) {
      return List.of(selectPackage(PACKAGE));
    }
    Map<String, Method> index = planIndex();
    List<DiscoverySelector> selectors = new ArrayList<>();
    for (String id : new TreeSet<>(planIds)) {
      Method method = index.get(id);
      if (method == null) {
        throw new IllegalArgumentException(
            "no layer-1 test carries plan id " + id + "; tests: " + new TreeSet<>(index.keySet()));
      }
      selectors.add(selectMethod(method.getDeclaringClass(), method));
    }
    return selectors;
  }

  private static Map<String, Method> planIndex;

  /** Every layer-1 certification test method by its plan id, as the launcher discovers them. */
  static synchronized Map<String, Method> planIndex() {
    if (planIndex == null) {
      planIndex = Collections.unmodifiableMap(discoverPlanIndex());
    }
    return planIndex;
  }

  private static Map<String, Method> discoverPlanIndex() {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectPackage(PACKAGE))
            .filters(includeTags(Certification.TAG))
            .build();
    TestPlan plan = launcher().discover(request);
    Map<String, Method> index = new TreeMap<>();
    for (TestIdentifier root : plan.getRoots()) {
      for (TestIdentifier test : plan.getDescendants(root)) {
        if (test.getSource().orElse(null) instanceof MethodSource source) {
          PlanItem item = source.getJavaMethod().getAnnotation(PlanItem.class);
          if (item != null) {
            index.put(item.value(), source.getJavaMethod());
          }
        }
      }
    }
    return index;
  }

  private static Launcher launcher() {
    // no listeners from the class path (Allure's): this run's results are the harness's own
    return LauncherFactory.create(
        LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
  }

  private String describe() {
    return (planIds.isEmpty() ? "all layer-1 suites" : "plan items " + new TreeSet<>(planIds))
        + " against the reference driver with "
        + (defects.isEmpty() ? "no defect" : "defects " + new TreeSet<>(defects));
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("replcert-selfcert-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String failures(TestExecutionSummary summary) {
    return summary.getTestsFoundCount() + " found, " + summary.getTestsSucceededCount() + " succeeded, "
        + summary.getTotalFailureCount() + " failed"
        + summary.getFailures().stream()
            .map(f -> "\n  " + f.getTestIdentifier().getDisplayName() + ": " + f.getException())
            .collect(Collectors.joining());
  }

  /** One run: what the suites recorded, and what the launcher saw. */
  record SuiteRun(String what, RunRecord record, TestExecutionSummary summary, Duration took) {

    /** Plan id to outcome, for every recorded test with a plan id. */
    Map<String, Outcome> outcomes() {
      Map<String, Outcome> outcomes = new TreeMap<>();
      record.tests().stream()
          .filter(t -> t.planId() != null)
          .forEach(t -> outcomes.put(t.planId(), t.outcome()));
      return outcomes;
    }

    Set<String> withOutcome(Outcome outcome) {
      return record.tests().stream()
          .filter(t -> t.outcome() == outcome && t.planId() != null)
          .map(TestResult::planId)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    Set<String> failed() {
      return withOutcome(Outcome.FAILED);
    }

    /** One line per test that did not pass: plan id, outcome, reason. */
    String notPassed() {
      return record.tests().stream()
          .filter(t -> t.outcome() != Outcome.PASSED)
          .map(t -> t.planId() + " " + t.outcome() + ": " + t.reason())
          .collect(Collectors.joining("\n"));
    }
  }
}
