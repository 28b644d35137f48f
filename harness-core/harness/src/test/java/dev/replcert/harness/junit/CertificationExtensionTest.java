package dev.replcert.harness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.junit.FakeEnvironmentProvider.SiteClient;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.RunRecordJson;
import dev.replcert.harness.record.TestResult;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventConditions;
import org.junit.platform.testkit.engine.Events;
import org.junit.platform.testkit.engine.TestExecutionResultConditions;

/**
 * Runs small sample suites through the JUnit Platform (as Maven would) and checks what the
 * certification extension did: skips, injection, cleanup order, keep-on-failure, the run record.
 * The samples are nested classes so that neither Surefire nor the -Pcert run picks them up.
 */
class CertificationExtensionTest {

  static final List<String> LOG = new CopyOnWriteArrayList<>();

  @TempDir Path dir;

  @BeforeEach
  void reset() {
    LOG.clear();
  }

  // ---------- capability skipping ----------

  @Certification
  static class CapabilitySample {
    @Test
    @PlanItem("L1-VG-001")
    @RequiresCapability(Capability.VOLUME_GROUP)
    void needsVolumeGroups() {
      LOG.add("volume group test ran");
    }

    @Test
    @PlanItem("L1-REP-001")
    @RequiresCapability(Capability.REPLICATION)
    void needsReplication() {
      LOG.add("replication test ran");
    }
  }

  @Test
  void aTestNeedingAnUnclaimedCapabilityIsSkippedWithTheDriverAndCapabilityInTheReason()
      throws IOException {
    Path config = writeConfig(labConfig("capabilities: {replication: true}"));

    Events tests = run(CapabilitySample.class, config).testEvents();

    tests.assertStatistics(s -> s.skipped(1).succeeded(1).failed(0));
    assertThat(LOG).containsExactly("replication test ran");
    RunRecord record = record();
    TestResult skipped = result(record, "L1-VG-001");
    assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(skipped.reason())
        .contains("driver 'reference.replcert.dev'")
        .contains("does not claim capability 'volume-group'");
    assertThat(result(record, "L1-REP-001").outcome()).isEqualTo(Outcome.PASSED);
    assertThat(record.capabilities())
        .containsEntry("replication", true)
        .containsEntry("volume-group", false);
  }

  @Certification
  @RequiresCapability(Capability.NETWORK_FENCE)
  static class ClassLevelRequirementSample {
    @Test
    @PlanItem("L1-FENCE-001")
    void fences() {
      LOG.add("fence test ran");
    }

    @Test
    @PlanItem("L1-FENCE-002")
    void unfences() {
      LOG.add("unfence test ran");
    }
  }

  @Test
  void aClassLevelRequirementSkipsEveryMethodAndEachSkipIsRecorded() throws IOException {
    Path config = writeConfig(labConfig("capabilities: {replication: true}"));

    run(ClassLevelRequirementSample.class, config).testEvents().assertStatistics(s -> s.skipped(2));

    assertThat(LOG).isEmpty();
    assertThat(record().tests())
        .extracting(TestResult::outcome)
        .containsExactly(Outcome.SKIPPED, Outcome.SKIPPED);
  }

  @Test
  void withNoConfigFileEveryCapabilityOfTheBundledDriverIsClaimed() {
    run(CapabilitySample.class, null).testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(LOG).containsExactlyInAnyOrder("volume group test ran", "replication test ran");
  }

  // ---------- injection and environment ----------

  @Certification
  static class InjectionSample {
    @Test
    @PlanItem("L1-ID-001")
    void getsConfigEnvironmentAndSiteClients(
        CertificationConfig config,
        Environment environment,
        @Site("east") SiteClient east,
        @Site("west") SiteClient west) {
      LOG.add(config.mode().id() + " " + environment.name() + " " + east.site() + " " + west.site());
    }

    @Test
    @PlanItem("L1-ID-002")
    void failsClearlyWhenTheEnvironmentHasNoSuchClient(@Site("nowhere") SiteClient client) {
      LOG.add("must not run");
    }
  }

  @Test
  void theEnvironmentIsStartedOnceInjectedWithPerSiteClientsAndClosedAtTheEnd() {
    int closedBefore = FakeEnvironmentProvider.CLOSED.get();
    int startedBefore = FakeEnvironmentProvider.STARTED.get();

    Events tests = run(InjectionSample.class, null).testEvents();

    tests.assertStatistics(s -> s.succeeded(1).failed(1));
    assertThat(LOG).containsExactly("lab fake-lab east west");
    tests
        .failed()
        .assertThatEvents()
        .haveExactly(
            1,
            EventConditions.finishedWithFailure(
                TestExecutionResultConditions.message(
                    m ->
                        m.contains("has no client of type")
                            && m.contains(SiteClient.class.getName())
                            && m.contains("for site 'nowhere'"))));
    assertThat(FakeEnvironmentProvider.STARTED.get()).isEqualTo(startedBefore + 1);
    assertThat(FakeEnvironmentProvider.CLOSED.get()).isEqualTo(closedBefore + 1);
    assertThat(record().driver().reportedName()).isEqualTo("fake.replcert.dev");
    assertThat(record().driver().configuredName()).isEqualTo("reference.replcert.dev");
  }

  @Certification
  static class EnvironmentSample {
    @Test
    @PlanItem("L1-ID-003")
    void needsTheEnvironment(Environment environment) {
      LOG.add("must not run");
    }
  }

  @Test
  void aClusterWithoutItsContextFailsTheTestNamingClusterKubeconfigAndContext() throws IOException {
    for (String site : List.of("east", "west")) {
      Files.writeString(dir.resolve(site + ".kubeconfig"), "apiVersion: v1\nkind: Config\n");
    }
    Path config =
        writeConfig(
            """
            apiVersion: replcert.dev/v1alpha1
            kind: CertificationConfig
            mode: clusters
            driver:
              name: vendor.example.com
            clusters:
              east: {kubeconfig: east.kubeconfig, context: east}
              west: {kubeconfig: west.kubeconfig, context: west}
            """);

    Events tests = run(EnvironmentSample.class, config).testEvents();

    tests.assertStatistics(s -> s.failed(1));
    assertThat(LOG).isEmpty();
    // the clusters environment's own message, not a stack trace of the client library
    assertThat(result(record(), "L1-ID-003").reason())
        .contains(
            "cluster east (kubeconfig "
                + dir.resolve("east.kubeconfig")
                + ", context east): the file has no context east; contexts in the file: []");
  }

  @Test
  void anUnreachableDriverEndpointFailsWithinTheRpcTimeoutNamingSiteAndSocket() throws IOException {
    Path config =
        writeConfig(
            """
            apiVersion: replcert.dev/v1alpha1
            kind: CertificationConfig
            mode: endpoint
            driver:
              name: vendor.example.com
              endpoints:
                east: {csi: "unix:///tmp/replcert-nothing-here-east.sock"}
                west: {csi: "unix:///tmp/replcert-nothing-here-west.sock"}
            timeouts: {overrides: {rpc: 300ms}}
            """);

    Events tests = run(EnvironmentSample.class, config).testEvents();

    tests.assertStatistics(s -> s.failed(1));
    assertThat(result(record(), "L1-ID-003").reason())
        .contains("driver endpoint of site east")
        .contains("unix:///tmp/replcert-nothing-here-east.sock")
        .contains("did not answer CSI Probe within PT0.3S");
  }

  // ---------- configuration errors ----------

  @Test
  void anInvalidConfigurationFailsEveryTestBeforeItRunsWithTheKeyPath() throws IOException {
    Path config = writeConfig(labConfig("capabilitys: {replication: true}"));

    Events tests = run(CapabilitySample.class, config).testEvents();

    tests.assertStatistics(s -> s.failed(2).succeeded(0));
    assertThat(LOG).isEmpty();
    assertThat(record().tests())
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
              assertThat(r.reason()).contains("capabilitys").contains(config.toString());
            });
  }

  // ---------- resource tracking ----------

  @Certification
  static class TrackerSample {
    @Test
    @PlanItem("L1-REP-002")
    void createsThreeThings(ResourceTracker tracker) {
      tracker.track("volume", () -> LOG.add("delete volume"));
      tracker.track("replication", () -> LOG.add("disable replication"));
      tracker.track("pod", () -> LOG.add("delete pod"));
    }

    @Test
    @PlanItem("L1-REP-003")
    void oneCleanupFails(ResourceTracker tracker) {
      tracker.track("volume", () -> LOG.add("delete volume"));
      tracker.track(
          "stuck replication",
          () -> {
            throw new IllegalStateException("replication still enabled");
          });
      tracker.track("pod", () -> LOG.add("delete pod"));
    }
  }

  @Test
  void cleanupRunsNewestFirstAndAFailedCleanupFailsTheTestAfterTheOthersRan() {
    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(
                org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(
                    TrackerSample.class, "createsThreeThings",
                    ResourceTracker.class.getName()))
            .configurationParameter(RunSettings.RECORD_DIR, dir.toString())
            .execute()
            .testEvents();
    tests.assertStatistics(s -> s.succeeded(1));
    assertThat(LOG).containsExactly("delete pod", "disable replication", "delete volume");

    LOG.clear();
    Events failing =
        EngineTestKit.engine("junit-jupiter")
            .selectors(
                org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(
                    TrackerSample.class, "oneCleanupFails", ResourceTracker.class.getName()))
            .configurationParameter(RunSettings.RECORD_DIR, dir.toString())
            .execute()
            .testEvents();
    failing.assertStatistics(s -> s.failed(1));
    assertThat(LOG).containsExactly("delete pod", "delete volume");
    assertThat(result(record(), "L1-REP-003").reason())
        .contains("cleanup failed for 1 resource(s)")
        .contains("stuck replication")
        .contains("replication still enabled");
  }

  @Certification
  static class KeepOnFailureSample {
    @Test
    @PlanItem("L1-REP-004")
    void failsAfterCreatingAVolume(ResourceTracker tracker) {
      tracker.track("volume pvc-1", () -> LOG.add("delete volume"));
      throw new AssertionError("replication never became healthy");
    }
  }

  @Test
  void keepOnFailureLeavesAFailedTestsResourcesAndSaysWhich() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(KeepOnFailureSample.class))
        .configurationParameter(RunSettings.RECORD_DIR, dir.toString())
        .configurationParameter(RunSettings.KEEP_ON_FAILURE, "true")
        .execute()
        .testEvents()
        .assertStatistics(s -> s.failed(1));

    assertThat(LOG).isEmpty();
    TestResult result = result(record(), "L1-REP-004");
    assertThat(result.reason()).isEqualTo("replication never became healthy");
    assertThat(result.attachments())
        .anySatisfy(
            a -> {
              assertThat(a.name()).isEqualTo("resources kept for debugging");
              assertThat(a.content()).contains("volume pvc-1");
            });
  }

  @Test
  void withoutKeepOnFailureAFailedTestIsCleanedUp() {
    run(KeepOnFailureSample.class, null).testEvents().assertStatistics(s -> s.failed(1));
    assertThat(LOG).containsExactly("delete volume");
  }

  // ---------- evidence, redaction, run record ----------

  @Certification
  static class EvidenceSample {
    @Test
    @PlanItem("L1-DATA-001")
    void recordsEvidence(Evidence evidence) {
      evidence.measure("rpo.records", 12, "records");
      evidence.measure("promote.latency", 0.25, "s");
      evidence.attach("grpc call log", "PromoteVolume(force=false) -> OK in 12 ms, token=s3cr3t-t0ken");
    }

    @Test
    @PlanItem("L1-DATA-002")
    void failsMentioningASecret() {
      throw new AssertionError("driver rejected secret s3cr3t-t0ken");
    }
  }

  @Test
  void theRunRecordHoldsResultsEvidenceAndRedactedConfigWithoutSecrets() throws IOException {
    Path config = writeConfig(labConfig("driver:\n  secrets:\n    token: s3cr3t-t0ken\n"));

    run(EvidenceSample.class, config).testEvents().assertStatistics(s -> s.succeeded(1).failed(1));

    String json = Files.readString(dir.resolve("run-record.json"));
    assertThat(json).doesNotContain("s3cr3t-t0ken");
    RunRecord record = record();
    assertThat(record.schema()).isEqualTo(RunRecord.SCHEMA);
    assertThat(record.runId()).isEqualTo("run-under-test");
    assertThat(record.mode()).isEqualTo("lab");
    assertThat(record.harnessVersion()).isNotBlank().isNotEqualTo("unknown");
    TestResult passed = result(record, "L1-DATA-001");
    assertThat(passed.outcome()).isEqualTo(Outcome.PASSED);
    assertThat(passed.testId()).endsWith("EvidenceSample#recordsEvidence");
    assertThat(passed.startedAt()).isNotNull();
    assertThat(passed.evidence())
        .extracting(m -> m.name() + "=" + m.value() + " " + m.unit())
        .containsExactly("rpo.records=12.0 records", "promote.latency=0.25 s");
    assertThat(passed.attachments().get(0).content()).contains("token=<redacted>");
    assertThat(result(record, "L1-DATA-002").reason())
        .isEqualTo("driver rejected secret <redacted>");
    assertThat(record.config().toString()).contains("<redacted>");
  }

  @Certification
  static class CallLogSample {
    @Test
    @PlanItem("L1-REP-005")
    void callsTheDriver(Environment environment, CallLog calls) {
      calls.add(
          new CallRecord(
              calls.nextSequence(),
              "east/addons",
              "replication.Controller/PromoteVolume",
              "force: true",
              "FAILED_PRECONDITION",
              "peer is primary",
              java.time.Instant.now(),
              java.time.Duration.ofMillis(3)));
    }
  }

  @Test
  void theTestsOwnGrpcCallsAreAttachedToItsResult() {
    FakeEnvironmentProvider.CALLS.add(
        new CallRecord(
            FakeEnvironmentProvider.CALLS.nextSequence(),
            "west/addons",
            "replication.Controller/DemoteVolume",
            "",
            "OK",
            null,
            java.time.Instant.now().minusSeconds(60),
            java.time.Duration.ofMillis(1)));

    run(CallLogSample.class, null).testEvents().assertStatistics(s -> s.succeeded(1));

    TestResult result = result(record(), "L1-REP-005");
    assertThat(result.attachments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.name()).isEqualTo("gRPC calls");
              assertThat(a.content())
                  .contains("PromoteVolume FAILED_PRECONDITION (peer is primary)")
                  .doesNotContain("DemoteVolume");
            });
  }

  // ---------- helpers ----------

  private static String labConfig(String extra) {
    return """
        apiVersion: replcert.dev/v1alpha1
        kind: CertificationConfig
        mode: lab
        """
        + extra
        + "\n";
  }

  private Path writeConfig(String yaml) throws IOException {
    Path file = dir.resolve("cert.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private org.junit.platform.testkit.engine.EngineExecutionResults run(
      Class<?> suite, Path config) {
    var kit =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(suite))
            .configurationParameter(RunSettings.RECORD_DIR, dir.toString())
            .configurationParameter(RunSettings.RUN_ID, "run-under-test")
            .configurationParameters(Map.of(RunSettings.MODULE, "sample-module"));
    if (config != null) {
      kit = kit.configurationParameter(RunSettings.CONFIG_FILE, config.toString());
    }
    return kit.execute();
  }

  private RunRecord record() {
    return RunRecordJson.read(dir.resolve("run-record.json"));
  }

  private static TestResult result(RunRecord record, String planId) {
    return record.tests().stream()
        .filter(t -> planId.equals(t.planId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + planId + " in " + record.tests()));
  }
}
