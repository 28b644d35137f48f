package dev.replcert.reports;

import static dev.replcert.reports.Fixtures.RUN;
import static dev.replcert.reports.Fixtures.claims;
import static dev.replcert.reports.Fixtures.failed;
import static dev.replcert.reports.Fixtures.item;
import static dev.replcert.reports.Fixtures.passed;
import static dev.replcert.reports.Fixtures.plan;
import static dev.replcert.reports.Fixtures.record;
import static dev.replcert.reports.Fixtures.withEvidence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.RunRecordJson;
import dev.replcert.harness.record.TestResult;
import dev.replcert.plan.Level;
import dev.replcert.plan.TestPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMainTest {

  private static final String SECRET = "AKIAIOSFODNN7EXAMPLE-in-test-output";
  private static final Map<String, Boolean> PROFILE = claims("replication");
  private static final TestPlan PLAN =
      plan(
          item("L1-REP-001", Level.MUST, "replication"),
          item("L2-FO-001", Level.MUST, "replication"));

  @TempDir Path root;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private int run(String... args) {
    return new ReportMain(file -> PLAN)
        .run(args, new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  private String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  private Path out() {
    return root.resolve("reports/target/certification");
  }

  private String[] args() {
    return new String[] {"--root", root.toString(), "--run-id", RUN, "--out", out().toString()};
  }

  private void write(String dir, RunRecord record) {
    RunRecordJson.write(record, root.resolve(dir).resolve("target/certification/run-record.json"));
  }

  private void passingRun() {
    TestResult withLog =
        withEvidence(
            passed("L1-REP-001"),
            List.of(),
            List.of(new Attachment("driver.log", "text/plain", "token=" + SECRET)));
    write("layer1-csi", record(RUN, "layer1-csi", PROFILE, withLog));
    // five levels down: a nested module's record must still be found
    write("reference-orchestrator/lab", record(RUN, "lab", PROFILE, passed("L2-FO-001")));
  }

  @Test
  void certifiedRunWritesThreeReportsAndExitsZero() throws IOException {
    passingRun();

    assertThat(run(args())).isZero();

    for (String name : List.of("report.html", "report.json", "report.md")) {
      assertThat(out().resolve(name)).isRegularFile();
      assertThat(console()).contains(out().resolve(name).toAbsolutePath().toString());
    }
    assertThat(console().lines().findFirst()).hasValue("replcert verdict: CERTIFIED");
    assertThat(console())
        .contains("plan items: 2 passed, 0 failed")
        .contains("harness coverage: 2 of 2 plan items implemented")
        .contains("run records: 2 of run " + RUN + " read");
    assertThat(Files.readString(out().resolve("report.md"))).contains("**Verdict: CERTIFIED**");
  }

  @Test
  void failedMustItemExitsOneAfterWritingTheReports() {
    write(
        "layer1-csi",
        record(RUN, "layer1-csi", PROFILE, passed("L1-REP-001"), failed("L2-FO-001")));

    assertThat(run(args())).isEqualTo(ReportMain.EXIT_NOT_CERTIFIED);

    assertThat(out().resolve("report.html")).content().contains("<h1>NOT CERTIFIED</h1>");
    assertThat(console())
        .startsWith("replcert verdict: NOT CERTIFIED")
        .contains("blocking: MUST item L2-FO-001")
        // the failure message is test output: it stays in the report files
        .doesNotContain("found gap at record 42");
  }

  @Test
  void recordsOfOtherRunsHiddenDirsAndTooDeepTreesDoNotCount() {
    passingRun();
    RunRecord failing = record(RUN, "elsewhere", PROFILE, failed("L1-REP-001"));
    write("node_modules/pkg", failing);
    write(".git/x", failing);
    write("a/b/c", failing); // six levels: beyond the scan depth
    write(
        "old-checkout",
        record("20200101T000000Z", "layer2-platform", PROFILE, failed("L1-REP-001")));

    assertThat(run(args())).isZero();

    assertThat(console()).contains("2 of run " + RUN + " read, 1 of other runs ignored");
    assertThat(out().resolve("report.md"))
        .content()
        .contains("old-checkout/target/certification/run-record.json");
  }

  @Test
  void noRecordOfTheRunStillRendersAndIsNotCertified() {
    write("layer1-csi", record("20200101T000000Z", "layer1-csi", PROFILE, passed("L1-REP-001")));

    assertThat(run(args())).isEqualTo(1);

    assertThat(out().resolve("report.html")).exists();
    assertThat(console()).contains("no run record of run " + RUN + " was found");
  }

  @Test
  void secretsInTestOutputStayInTheReportFilesAndConfigIsShownAsRedacted() throws IOException {
    passingRun();

    assertThat(run(args())).isZero();

    String html = Files.readString(out().resolve("report.html"));
    String json = Files.readString(out().resolve("report.json"));
    String md = Files.readString(out().resolve("report.md"));
    // attachments are test output: shown in full in the HTML page and the machine summary
    assertThat(html).contains("token=" + SECRET);
    assertThat(json).contains("token=" + SECRET);
    // ... named only in the Markdown meant for pull requests, and never on the console
    assertThat(md).contains("driver.log").doesNotContain(SECRET);
    assertThat(console()).doesNotContain(SECRET);
    // the configuration was redacted by the harness; the report shows it as it is
    assertThat(html).contains("&quot;secretKey&quot; : &quot;&lt;redacted&gt;&quot;");
    assertThat(json).contains("\"secretKey\" : \"<redacted>\"");
    assertThat(md).contains("\"secretKey\" : \"<redacted>\"");
    assertThat(console()).doesNotContain("redacted").doesNotContain("secretKey");
  }

  @Test
  void missingArgumentIsExitTwo() {
    assertThat(run("--root", root.toString(), "--out", out().toString())).isEqualTo(2);
    assertThat(console()).contains("--run-id is required");
    assertThat(out()).doesNotExist();
  }

  @Test
  void unknownArgumentAndUnresolvedPropertyAreExitTwo() {
    assertThat(run("--root", root.toString(), "--run-id", RUN, "--out", "x", "--verbose", "yes"))
        .isEqualTo(2);
    assertThat(run("--root", root.toString(), "--run-id", "${replcert.runId}", "--out", "x"))
        .isEqualTo(2);
    assertThat(console())
        .contains("unknown argument --verbose")
        .contains("--run-id has no usable value");
  }

  @Test
  void rootThatIsNoDirectoryIsExitTwo() {
    assertThat(run("--root", root.resolve("nope").toString(), "--run-id", RUN, "--out", "x"))
        .isEqualTo(2);
    assertThat(console()).contains("nope is not a directory");
  }

  @Test
  void unreadableRecordIsExitTwoNamingTheFileWithoutQuotingIt() throws IOException {
    passingRun();
    Path broken = root.resolve("layer3-cnv/target/certification/run-record.json");
    Files.createDirectories(broken.getParent());
    // a half-edited record: the parser's own message would quote the token
    Files.writeString(
        broken, "{\"schema\": \"replcert.dev/run-record/v1\",\n \"runId\": " + SECRET);

    assertThat(run(args())).isEqualTo(2);

    assertThat(console())
        .contains("cannot read run record " + broken.toAbsolutePath())
        .contains("not a valid run record at line 2")
        .doesNotContain(SECRET);
    assertThat(out().resolve("report.html")).doesNotExist();
  }

  @Test
  void recordOfAnotherSchemaIsExitTwo() throws IOException {
    passingRun();
    Path other = root.resolve("layer3-cnv/target/certification/run-record.json");
    Files.createDirectories(other.getParent());
    Files.writeString(other, "{\"schema\": \"replcert.dev/run-record/v0\", \"unknownField\": 1}");

    assertThat(run(args())).isEqualTo(2);

    assertThat(console())
        .contains("cannot read run record " + other.toAbsolutePath())
        .contains("not a valid run record");
  }

  @Test
  void missingPlanFileIsExitTwo() {
    passingRun();
    String[] args =
        List.of(
                "--root",
                root.toString(),
                "--run-id",
                RUN,
                "--out",
                out().toString(),
                "--plan",
                root.resolve("plan.yaml").toString())
            .toArray(String[]::new);

    assertThat(new ReportMain().run(args, new PrintStream(console, true, StandardCharsets.UTF_8)))
        .isEqualTo(2);
    assertThat(console())
        .contains("--plan " + root.resolve("plan.yaml").toAbsolutePath() + " does not exist");
  }

  @Test
  void planThatCannotBeLoadedOrUsesUnknownCapabilitiesIsExitTwo() {
    passingRun();
    ReportMain brokenLoader =
        new ReportMain(
            file -> {
              throw new IllegalArgumentException("plan.yaml: line 3: bad level");
            });
    ReportMain unknownCapability =
        new ReportMain(file -> plan(item("L1-REP-001", Level.MUST, "teleport")));
    PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8);

    assertThat(brokenLoader.run(args(), ps)).isEqualTo(2);
    assertThat(unknownCapability.run(args(), ps)).isEqualTo(2);

    assertThat(console())
        .contains("cannot load the bundled test plan: plan.yaml: line 3: bad level")
        .contains(
            "the bundled test plan: invalid test plan: plan item L1-REP-001 needs capability"
                + " 'teleport'");
  }
}
