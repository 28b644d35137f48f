package dev.replcert.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCoverageTest {

  private static final TestPlan PLAN =
      new TestPlan(
          "1",
          List.of(
              item("L1-REP-001"), item("L1-REP-002"), item("L2-FO-001"), item("L3-VM-001")));

  /** The check over this repository: suites may only name plan ids, each once. */
  @Test
  void suitesOfThisRepositoryUsePlanIdsCorrectly() {
    Path root = Path.of(System.getProperty("replcert.rootDir", "..")).toAbsolutePath().normalize();
    TestPlan plan = PlanLoader.loadBundled();

    CoverageResult result = PlanCoverage.scan(root, plan);

    System.out.printf("plan coverage (%s): %d of %d plan items have a test; not implemented (%d): %s%n",
        root, plan.items().size() - result.notImplemented().size(), plan.items().size(),
        result.notImplemented().size(), String.join(", ", result.notImplemented()));
    assertThat(result.problems()).as("@PlanItem problems in the suites").isEmpty();
  }

  /** Fabricated source trees. */
  @Nested
  class Scanning {

    @TempDir Path root;

    @Test
    void findsLiteralIdsInMainAndTestSourcesOfLayerModules() throws IOException {
      source("layer1-csi/src/test/java/a/RepTest.java", """
          class RepTest {
            @PlanItem("L1-REP-001") void one() {}

            @PlanItem(value = "L1-REP-002")
            void two() {}
          }
          """);
      source("layer3-cnv/src/main/java/b/VmSuite.java",
          "class VmSuite {\n  @dev.replcert.harness.PlanItem( \"L3-VM-001\" ) void boots() {}\n}\n");

      CoverageResult result = PlanCoverage.scan(root, PLAN);

      assertThat(result.clean()).isTrue();
      assertThat(result.places()).containsOnlyKeys("L1-REP-001", "L1-REP-002", "L3-VM-001");
      assertThat(result.places().get("L1-REP-001")).containsExactly("layer1-csi/src/test/java/a/RepTest.java:2");
      assertThat(result.places().get("L1-REP-002")).containsExactly("layer1-csi/src/test/java/a/RepTest.java:4");
      assertThat(result.places().get("L3-VM-001")).containsExactly("layer3-cnv/src/main/java/b/VmSuite.java:2");
      assertThat(result.notImplemented()).containsExactly("L2-FO-001");
    }

    @Test
    void listsEveryPlanItemAsNotImplementedWhenThereAreNoSuites() {
      CoverageResult result = PlanCoverage.scan(root, PLAN);

      assertThat(result.clean()).isTrue();
      assertThat(result.places()).isEmpty();
      assertThat(result.notImplemented())
          .containsExactly("L1-REP-001", "L1-REP-002", "L2-FO-001", "L3-VM-001");
    }

    @Test
    void reportsAnIdThePlanDoesNotKnow() throws IOException {
      source("layer2-platform/src/test/java/FoTest.java",
          "class FoTest {\n  @PlanItem(\"L2-FO-999\") void fo() {}\n}\n");

      CoverageResult result = PlanCoverage.scan(root, PLAN);

      assertThat(result.problems()).containsExactly(
          "unknown plan id 'L2-FO-999' at layer2-platform/src/test/java/FoTest.java:2");
    }

    @Test
    void reportsAnIdUsedByTwoTests() throws IOException {
      source("layer1-csi/src/test/java/ATest.java", "class ATest {\n  @PlanItem(\"L1-REP-001\") void a() {}\n}\n");
      source("layer2-platform/src/test/java/BTest.java", "class BTest {\n\n  @PlanItem(\"L1-REP-001\") void b() {}\n}\n");

      CoverageResult result = PlanCoverage.scan(root, PLAN);

      assertThat(result.problems()).containsExactly("plan id used twice: L1-REP-001 at "
          + "layer1-csi/src/test/java/ATest.java:2, layer2-platform/src/test/java/BTest.java:3");
      assertThat(result.places().get("L1-REP-001")).hasSize(2);
    }

    @Test
    void reportsIdsThatAreNotStringLiterals() throws IOException {
      source("layer1-csi/src/test/java/CTest.java", """
          class CTest {
            @PlanItem(Ids.REP_001) void constant() {}
            @PlanItem("L1-" + "REP-002") void concatenated() {}
            @PlanItem(value = PREFIX + "1") void expression() {}
          }
          """);

      CoverageResult result = PlanCoverage.scan(root, PLAN);

      assertThat(result.problems()).hasSize(3).allSatisfy(p ->
          assertThat(p).startsWith("plan ids must be string literals: layer1-csi/src/test/java/CTest.java:"));
      assertThat(result.problems().get(0)).endsWith("CTest.java:2: @PlanItem(Ids.REP_001)");
      assertThat(result.places()).isEmpty();
    }

    @Test
    void ignoresCommentsOtherAnnotationsAndNonSuiteDirectories() throws IOException {
      source("layer1-csi/src/test/java/DTest.java", """
          /** Example: {@code @PlanItem("L9-XX-001")} */
          class DTest {
            // @PlanItem("L9-XX-002") void old() {}
            /* @PlanItem(NOT_A_LITERAL) */
            @PlanItems("L9-XX-003") void plural() {}
            String url = "http://example/*not a comment*/";
            @PlanItem("L1-REP-001") void real() {}
          }
          """);
      source("harness-core/src/test/java/ETest.java", "class ETest { @PlanItem(\"L9-XX-004\") void e() {} }");
      source("layer1-csi/src/it/java/FTest.java", "class FTest { @PlanItem(\"L9-XX-005\") void f() {} }");

      CoverageResult result = PlanCoverage.scan(root, PLAN);

      assertThat(result.problems()).isEmpty();
      assertThat(result.places()).containsOnlyKeys("L1-REP-001");
      assertThat(result.places().get("L1-REP-001")).containsExactly("layer1-csi/src/test/java/DTest.java:7");
    }

    private void source(String relative, String text) throws IOException {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    }
  }

  private static PlanItem item(String id) {
    String[] parts = id.split("-");
    return new PlanItem(id, "Title", Integer.parseInt(parts[0].substring(1)), parts[1], "replcert",
        Level.MUST, List.of("replication"), "steps");
  }
}
