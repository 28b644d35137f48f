package dev.replcert.reports;

import static dev.replcert.reports.Fixtures.RUN;
import static dev.replcert.reports.Fixtures.aborted;
import static dev.replcert.reports.Fixtures.capabilityOf;
import static dev.replcert.reports.Fixtures.claims;
import static dev.replcert.reports.Fixtures.evaluate;
import static dev.replcert.reports.Fixtures.failed;
import static dev.replcert.reports.Fixtures.invocation;
import static dev.replcert.reports.Fixtures.item;
import static dev.replcert.reports.Fixtures.itemOf;
import static dev.replcert.reports.Fixtures.messages;
import static dev.replcert.reports.Fixtures.passed;
import static dev.replcert.reports.Fixtures.plan;
import static dev.replcert.reports.Fixtures.record;
import static dev.replcert.reports.Fixtures.result;
import static dev.replcert.reports.Fixtures.skipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.harness.config.Capability;
import dev.replcert.harness.record.Outcome;
import dev.replcert.plan.Level;
import dev.replcert.plan.TestPlan;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {

  private static final Map<String, Boolean> REPLICATION = claims("replication");

  private static final TestPlan PLAN =
      plan(
          item("L1-REP-001", Level.MUST, "replication"),
          item("L1-REP-002", Level.SHOULD, "replication"),
          item("L2-FO-001", Level.MUST, "replication"),
          item("L2-FO-002", Level.MAY, "replication"));

  @Test
  void allItemsPassedIsCertified() {
    CertificationReport r =
        evaluate(
            PLAN,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                passed("L1-REP-001"),
                passed("L1-REP-002"),
                passed("L2-FO-001"),
                passed("L2-FO-002")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED);
    assertThat(r.verdict().reasons())
        .extracting(Finding::severity)
        .containsOnly(Finding.Severity.INFO);
    assertThat(r.verdict().reasons()).isNotEmpty();
    assertThat(r.counts().passed()).isEqualTo(4);
  }

  @Test
  void failedMustItemIsNotCertified() {
    CertificationReport r =
        evaluate(
            PLAN,
            record(
                RUN,
                "layer2-platform",
                REPLICATION,
                passed("L1-REP-001"),
                passed("L1-REP-002"),
                failed("L2-FO-001"),
                passed("L2-FO-002")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(messages(r, Finding.Severity.BLOCKING))
        .singleElement()
        .asString()
        .contains("MUST item L2-FO-001")
        .contains("failed");
    assertThat(itemOf(r, "L2-FO-001").status()).isEqualTo(ItemStatus.FAILED);
  }

  @Test
  void failedShouldOrMayItemGivesWarnings() {
    CertificationReport r =
        evaluate(
            PLAN,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                passed("L1-REP-001"),
                failed("L1-REP-002"),
                passed("L2-FO-001"),
                failed("L2-FO-002")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
    assertThat(messages(r, Finding.Severity.WARNING))
        .anySatisfy(m -> assertThat(m).contains("SHOULD item L1-REP-002"))
        .anySatisfy(m -> assertThat(m).contains("MAY item L2-FO-002"));
    assertThat(messages(r, Finding.Severity.BLOCKING)).isEmpty();
  }

  @Test
  void emptyRunIsNeverCertified() {
    CertificationReport noRecords = evaluate(PLAN);
    CertificationReport noTests = evaluate(PLAN, record(RUN, "layer1-csi", REPLICATION));

    assertThat(noRecords.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(messages(noRecords, Finding.Severity.BLOCKING))
        .singleElement()
        .asString()
        .contains("Nothing was verified")
        .contains("no run record of run " + RUN);
    assertThat(noTests.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(messages(noTests, Finding.Severity.BLOCKING))
        .anySatisfy(m -> assertThat(m).contains("Nothing was verified: no plan item passed"))
        .anySatisfy(m -> assertThat(m).contains("'replication' is claimed but none"));
  }

  @Test
  void runWhereEverythingSkippedIsNotCertified() {
    CertificationReport r =
        evaluate(
            PLAN,
            record(
                RUN,
                "layer1-csi",
                Map.of(),
                skipped("L1-REP-001", "driver does not claim replication")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(r.counts().passed()).isZero();
  }

  @Test
  void itemSkippedByCapabilityIsListedButNotAWarning() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L1-VG-001", Level.MUST, "volume-group"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                passed("L1-REP-001"),
                skipped("L1-VG-001", "the profile does not claim volume-group")));

    ItemResult vg = itemOf(r, "L1-VG-001");
    assertThat(vg.status()).isEqualTo(ItemStatus.SKIPPED);
    assertThat(vg.skipKind()).isEqualTo(SkipKind.CAPABILITY);
    assertThat(vg.unclaimedCapabilities()).containsExactly("volume-group");
    assertThat(vg.skipReasons()).containsExactly("the profile does not claim volume-group");
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED);
    assertThat(r.counts().skippedByCapability()).isEqualTo(1);
  }

  @Test
  void mustItemSkippedByEnvironmentIsAWarning() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L2-FO-003", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer2-platform",
                REPLICATION,
                passed("L1-REP-001"),
                skipped("L2-FO-003", "no disaster hook configured for site east")));

    assertThat(itemOf(r, "L2-FO-003").skipKind()).isEqualTo(SkipKind.ENVIRONMENT);
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
    assertThat(messages(r, Finding.Severity.WARNING))
        .singleElement()
        .asString()
        .contains("MUST item L2-FO-003")
        .contains("skipped by the environment")
        .contains("no disaster hook configured for site east");
    assertThat(r.counts().skippedByEnvironment()).isEqualTo(1);
  }

  @Test
  void shouldItemSkippedByEnvironmentIsNotAWarning() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L1-REP-002", Level.SHOULD, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                passed("L1-REP-001"),
                skipped("L1-REP-002", "no pause hook")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED);
  }

  @Test
  void notImplementedItemIsNeverPassedAndStaysOutOfTheVerdict() {
    CertificationReport r =
        evaluate(
            PLAN,
            record(RUN, "layer1-csi", REPLICATION, passed("L1-REP-001"), passed("L1-REP-002")));

    assertThat(itemOf(r, "L2-FO-001").status()).isEqualTo(ItemStatus.NOT_IMPLEMENTED);
    assertThat(r.counts().passed()).isEqualTo(2);
    assertThat(r.counts().notImplemented()).isEqualTo(2);
    assertThat(capabilityOf(r, "replication").passed()).isEqualTo(2);
    assertThat(capabilityOf(r, "replication").notImplemented()).isEqualTo(2);
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED);
    assertThat(r.verdict().reasons())
        .extracting(Finding::message)
        .noneMatch(m -> m.contains("L2-FO"));
    assertThat(r.coverage().implemented()).isEqualTo(2);
    assertThat(r.coverage().planned()).isEqualTo(4);
  }

  @Test
  void abortedIsNotPassedAndWeighsLikeSkipped() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L2-FO-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer2-platform",
                REPLICATION,
                passed("L1-REP-001"),
                aborted("L2-FO-001", "west never became reachable")));

    ItemResult fo = itemOf(r, "L2-FO-001");
    assertThat(fo.status()).isEqualTo(ItemStatus.SKIPPED);
    assertThat(fo.skipKind()).isEqualTo(SkipKind.ENVIRONMENT);
    assertThat(fo.skipReasons()).containsExactly("west never became reachable");
    assertThat(r.counts().passed()).isEqualTo(1);
    // an aborted MUST is a gap (warning), not a failure (not certified)
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
  }

  @Test
  void onlyAbortedTestsVerifyNothing() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(RUN, "layer1-csi", REPLICATION, aborted("L1-REP-001", "assumption failed")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(capabilityOf(r, "replication").verdict()).isEqualTo(CapabilityVerdict.NOT_ASSESSED);
  }

  @Test
  void oneFailedInvocationFailsTheItem() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                invocation(passed("L1-REP-001"), "filesystem"),
                invocation(failed("L1-REP-001"), "block")));

    ItemResult item = itemOf(r, "L1-REP-001");
    assertThat(item.tests()).hasSize(2);
    assertThat(item.status()).isEqualTo(ItemStatus.FAILED);
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(messages(r, Finding.Severity.BLOCKING))
        .anySatisfy(m -> assertThat(m).contains("in 1 of 2 invocations"));
  }

  @Test
  void partlySkippedItemIsSkippedNotPassed() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L1-REP-003", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                passed("L1-REP-001"),
                invocation(passed("L1-REP-003"), "filesystem"),
                invocation(skipped("L1-REP-003", "no block storage class configured"), "block")));

    assertThat(itemOf(r, "L1-REP-003").status()).isEqualTo(ItemStatus.SKIPPED);
    assertThat(r.counts().passed()).isEqualTo(1);
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
  }

  @Test
  void capabilityVerdictsCoverEveryCapability() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L1-RS-001", Level.MUST, "resync"),
            item("L2-FO-001", Level.MUST, "force-promote"),
            item("L2-FO-002", Level.SHOULD, "force-promote"),
            item("L1-NF-001", Level.MUST, "network-fence"),
            item("L1-NF-002", Level.MUST, "network-fence"),
            item("L1-VG-001", Level.MUST, "volume-group"),
            item("L2-PR-001", Level.MUST, "pause-resume"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                claims("replication", "resync", "force-promote", "network-fence", "volume-group"),
                passed("L1-REP-001"),
                failed("L1-RS-001"),
                passed("L2-FO-001"),
                failed("L2-FO-002"),
                passed("L1-NF-001"),
                skipped("L1-NF-002", "no fence hook"),
                skipped("L2-PR-001", "the profile does not claim pause-resume")));

    assertThat(r.capabilities())
        .extracting(CapabilityResult::capability)
        .containsExactly(
            java.util.Arrays.stream(Capability.values())
                .map(Capability::id)
                .toArray(String[]::new));
    assertThat(capabilityOf(r, "replication").verdict()).isEqualTo(CapabilityVerdict.CERTIFIED);
    assertThat(capabilityOf(r, "resync").verdict()).isEqualTo(CapabilityVerdict.NOT_CERTIFIED);
    assertThat(capabilityOf(r, "force-promote").verdict())
        .isEqualTo(CapabilityVerdict.CERTIFIED_WITH_WARNINGS);
    assertThat(capabilityOf(r, "network-fence").verdict())
        .isEqualTo(CapabilityVerdict.CERTIFIED_WITH_WARNINGS);
    assertThat(capabilityOf(r, "volume-group").verdict()).isEqualTo(CapabilityVerdict.NOT_ASSESSED);
    assertThat(capabilityOf(r, "pause-resume").verdict()).isEqualTo(CapabilityVerdict.NOT_CLAIMED);
    assertThat(capabilityOf(r, "vm-workloads").verdict()).isEqualTo(CapabilityVerdict.NOT_CLAIMED);
    assertThat(capabilityOf(r, "pause-resume").skipped()).isEqualTo(1);
    assertThat(capabilityOf(r, "resync").reasons())
        .singleElement()
        .asString()
        .contains("L1-RS-001");
  }

  @Test
  void claimedCapabilityWithoutPassedItemIsAWarning() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(RUN, "layer1-csi", claims("replication", "snapshots"), passed("L1-REP-001")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
    assertThat(messages(r, Finding.Severity.WARNING))
        .singleElement()
        .asString()
        .contains("'snapshots' is claimed but the plan has no item for it");
    assertThat(capabilityOf(r, "snapshots").verdict()).isEqualTo(CapabilityVerdict.NOT_ASSESSED);
  }

  @Test
  void aRunWhereNoReplicationItemPassedIsNotCertified() {
    TestPlan plan =
        plan(item("L1-ID-001", Level.MUST), item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                claims("replication"),
                passed("L1-ID-001"),
                skipped("L1-REP-001", "no disaster hook")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(messages(r, Finding.Severity.BLOCKING))
        .singleElement()
        .asString()
        .contains("'replication' is claimed but none of its 1 plan items passed");
  }

  @Test
  void recordsOfOtherRunsAreIgnoredAndListed() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(RUN, "layer1-csi", REPLICATION, passed("L1-REP-001")),
            record("20251231T235959Z", "layer2-platform", REPLICATION, failed("L1-REP-001")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED);
    assertThat(itemOf(r, "L1-REP-001").tests()).hasSize(1);
    assertThat(r.run().ignoredRecords())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.path())
                  .isEqualTo("layer2-platform/target/certification/run-record.json");
              assertThat(s.runId()).isEqualTo("20251231T235959Z");
            });
    assertThat(r.run().records()).extracting(RecordSource::module).containsExactly("layer1-csi");
  }

  @Test
  void onlyForeignRecordsStillGiveAReport() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(plan, record("other", "layer1-csi", REPLICATION, passed("L1-REP-001")));

    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(messages(r, Finding.Severity.BLOCKING))
        .singleElement()
        .asString()
        .contains("1 records of other runs ignored");
    assertThat(r.run().driver()).isNull();
    assertThat(r.items())
        .singleElement()
        .extracting(ItemResult::status)
        .isEqualTo(ItemStatus.NOT_IMPLEMENTED);
  }

  @Test
  void unplannedTestsAreListedAndAWarning() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                passed("L1-REP-001"),
                passed(null),
                result("L9-XX-999", Outcome.FAILED, "boom")));

    assertThat(r.unplannedTests())
        .extracting(t -> t.result().planId())
        .containsExactly(null, "L9-XX-999");
    assertThat(r.counts().unplannedTests()).isEqualTo(2);
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
    assertThat(messages(r, Finding.Severity.WARNING))
        .singleElement()
        .asString()
        .contains("2 tests are not in the plan")
        .contains("(no plan id)")
        .contains("(plan id L9-XX-999)");
  }

  @Test
  void recordsOfSeveralModulesAreMerged() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L2-FO-001", Level.MUST, "replication"));
    CertificationReport r =
        evaluate(
            plan,
            record(RUN, "layer1-csi", REPLICATION, passed("L1-REP-001")),
            record(RUN, "layer2-platform", REPLICATION, failed("L2-FO-001")));

    assertThat(itemOf(r, "L2-FO-001").tests())
        .singleElement()
        .extracting(ExecutedTest::module)
        .isEqualTo("layer2-platform");
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.NOT_CERTIFIED);
    assertThat(r.run().configs())
        .singleElement()
        .satisfies(c -> assertThat(c.modules()).containsExactly("layer1-csi", "layer2-platform"));
    assertThat(r.run().inconsistencies()).isEmpty();
  }

  @Test
  void disagreeingProfilesAreAWarningAndClaimMore() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "replication"), item("L1-RS-001", Level.MUST, "resync"));
    CertificationReport r =
        evaluate(
            plan,
            record(
                RUN,
                "layer1-csi",
                claims("replication", "resync"),
                passed("L1-REP-001"),
                passed("L1-RS-001")),
            record(RUN, "layer2-platform", REPLICATION));

    assertThat(r.run().claims("resync")).isTrue();
    assertThat(r.verdict().verdict()).isEqualTo(Verdict.CERTIFIED_WITH_WARNINGS);
    assertThat(messages(r, Finding.Severity.WARNING))
        .singleElement()
        .asString()
        .contains("'resync' is not claimed by layer2-platform");
  }

  @Test
  void coverageCountsItemsWithAnyTestPerLayer() {
    CertificationReport r =
        evaluate(
            PLAN,
            record(
                RUN,
                "layer1-csi",
                REPLICATION,
                failed("L1-REP-001"),
                skipped("L1-REP-002", "x"),
                passed("L2-FO-001")));

    assertThat(r.coverage().implemented()).isEqualTo(3);
    assertThat(r.coverage().layers())
        .containsExactly(new Coverage.Layer(1, 2, 2), new Coverage.Layer(2, 1, 2));
    assertThat(r.coverage().sentence())
        .isEqualTo("harness coverage: 3 of 4 plan items implemented");
  }

  @Test
  void planWithUnknownCapabilityIsRejected() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST, "replication", "teleport"));

    assertThatThrownBy(() -> evaluate(plan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("L1-REP-001")
        .hasMessageContaining("'teleport'")
        .hasMessageContaining("replication, force-promote");
  }
}
