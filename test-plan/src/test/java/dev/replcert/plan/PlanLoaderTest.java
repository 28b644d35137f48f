package dev.replcert.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanLoaderTest {

  /** Areas later issues implement tests against; renaming one breaks their ids. */
  private static final Map<Integer, List<String>> REQUIRED_AREAS =
      Map.of(
          1, List.of("ID", "REP", "STAT", "DATA", "VG", "FENCE", "PAUSE", "VR", "VGR", "NF"),
          2, List.of("START", "PAUSE", "RESYNC", "FO", "REL", "FB", "TRANS", "PVC", "S3", "FENCE",
              "SB", "VS", "RCP", "DEL", "ORC"),
          3, List.of("VM", "VMFO", "MIG", "SNAP"));

  @TempDir Path dir;

  @Test
  void bundledPlanLoadsWithEnoughItemsOnEveryLayer() {
    TestPlan plan = PlanLoader.loadBundled();

    assertThat(plan.version()).isEqualTo("1");
    assertThat(plan.items()).hasSizeGreaterThanOrEqualTo(60);
    assertThat(plan.items()).extracting(PlanItem::layer).contains(1, 2, 3);
    assertThat(plan.item("L2-FO-001")).hasValueSatisfying(i -> {
      assertThat(i.area()).isEqualTo("FO");
      assertThat(i.level()).isEqualTo(Level.MUST);
      assertThat(i.capabilities()).containsExactly("replication", "force-promote");
    });
  }

  @Test
  void bundledPlanHasEveryRequiredArea() {
    TestPlan plan = PlanLoader.loadBundled();

    REQUIRED_AREAS.forEach((layer, areas) -> {
      Set<String> present = plan.items().stream()
          .filter(i -> i.layer() == layer)
          .map(PlanItem::area)
          .collect(Collectors.toSet());
      assertThat(present).as("areas of layer %d", layer).containsAll(areas);
    });
  }

  @Test
  void everyBundledItemIsComplete() {
    for (PlanItem item : PlanLoader.loadBundled().items()) {
      assertThat(item.source()).as(item.id()).isIn(PlanLoader.KNOWN_SOURCES);
      assertThat(item.level()).as(item.id()).isNotNull();
      assertThat(item.title()).as(item.id()).isNotBlank().doesNotEndWith(".");
      assertThat(item.steps()).as(item.id()).isNotBlank();
      assertThat(item.id()).as("area is the middle of the id").contains("-" + item.area() + "-");
    }
  }

  @Test
  void everyKnownCapabilityIsExercisedByTheBundledPlan() {
    Set<String> used = PlanLoader.loadBundled().items().stream()
        .flatMap(i -> i.capabilities().stream())
        .collect(Collectors.toSet());

    assertThat(used).containsExactlyInAnyOrderElementsOf(PlanLoader.KNOWN_CAPABILITIES);
  }

  @Test
  void aValidFileLoadsWithTheAreaTakenFromTheId() throws IOException {
    TestPlan plan = PlanLoader.load(write(plan(item(""))));

    assertThat(plan.items()).singleElement().satisfies(i -> {
      assertThat(i.id()).isEqualTo("L1-REP-001");
      assertThat(i.area()).isEqualTo("REP");
      assertThat(i.layer()).isEqualTo(1);
      assertThat(i.source()).isEqualTo("csi-addons spec");
      assertThat(i.capabilities()).containsExactly("replication", "resync");
      assertThat(i.steps()).isEqualTo("Call it; expect OK.");
    });
  }

  /** Each case: what is wrong, the plan text, and fragments the message must contain. */
  static Stream<Arguments> badPlans() {
    return Stream.of(
        bad("id in lower case", plan(item("").replace("L1-REP-001", "L1-rep-001")),
            "items[0] (L1-rep-001)", "'id' must look like"),
        bad("id without a number", plan(item("").replace("L1-REP-001", "L1-REP-1")),
            "items[0] (L1-REP-1)", "'id'", "NNN 3 digits"),
        bad("area starting with a digit", plan(item("").replace("L1-REP-001", "L1-3S-001")),
            "items[0] (L1-3S-001)", "starting with a letter"),
        bad("id missing", plan(item("").replace("id: L1-REP-001", "")),
            "items[0] (no id)", "'id' is required"),
        bad("duplicate id", plan(item("") + item("")),
            "items[1] (L1-REP-001)", "duplicate id", "items[0]"),
        bad("layer differs from the id", plan(item("").replace("layer: 1", "layer: 2")),
            "items[0] (L1-REP-001)", "'layer' is 2 but the id says layer 1"),
        bad("layer not a number", plan(item("").replace("layer: 1", "layer: one")),
            "items[0] (L1-REP-001)", "'layer' must be an integer"),
        bad("layer out of range", plan(item("").replace("L1-REP-001", "L4-REP-001")
            .replace("layer: 1", "layer: 4")), "items[0] (L4-REP-001)", "'layer' must be 1, 2 or 3"),
        bad("unknown source", plan(item("").replace("csi-addons spec", "Ceph")),
            "items[0] (L1-REP-001)", "'source' must be one of", "RamenDR", "was 'Ceph'"),
        bad("unknown level", plan(item("").replace("level: MUST", "level: MUSTY")),
            "items[0] (L1-REP-001)", "'level' must be one of MUST, SHOULD, MAY", "'MUSTY'"),
        bad("level in lower case", plan(item("").replace("level: MUST", "level: must")),
            "items[0] (L1-REP-001)", "'level'"),
        bad("unknown capability", plan(item("").replace("resync]", "resynch]")),
            "items[0] (L1-REP-001)", "'capabilities'", "unknown capability 'resynch'"),
        bad("capability twice", plan(item("").replace("resync]", "replication]")),
            "items[0] (L1-REP-001)", "'capabilities' lists 'replication' twice"),
        bad("capabilities missing", plan(item("").replace("    capabilities: [replication, resync]\n", "")),
            "items[0] (L1-REP-001)", "'capabilities' must be a list"),
        bad("capabilities not a list", plan(item("").replace("[replication, resync]", "replication")),
            "items[0] (L1-REP-001)", "'capabilities' must be a list"),
        bad("blank title", plan(item("").replace("title: Promote works", "title: \"  \"")),
            "items[0] (L1-REP-001)", "'title' is required and must be non-blank"),
        bad("steps missing", plan(item("").replace("    steps: Call it; expect OK.\n", "")),
            "items[0] (L1-REP-001)", "'steps' is required"),
        bad("unknown key", plan(item("    colour: red\n")),
            "items[0] (L1-REP-001)", "unknown key 'colour'", "expected only id, title"),
        bad("area given as a key", plan(item("    area: REP\n")),
            "items[0] (L1-REP-001)", "unknown key 'area'", "derived from the id"),
        bad("duplicate key in an item", plan(item("    level: MAY\n")),
            "items[0] (L1-REP-001)", "duplicate key 'level'"),
        bad("unknown top-level key", plan(item("")) + "owner: me\n",
            "top level", "unknown key 'owner'"),
        bad("duplicate top-level key", plan(item("")) + "version: 2\n",
            "top level", "duplicate key 'version'"),
        bad("no items", "version: 1\nitems: []\n", "top level", "'items' must be a non-empty list"),
        bad("not YAML", "version: 1\nitems: [\n", "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPlans")
  void badPlansAreRejectedNamingFileItemAndKey(String why, String yaml, List<String> expected)
      throws IOException {
    Path file = write(yaml);

    assertThatThrownBy(() -> PlanLoader.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .satisfies(e -> assertThat(e.getMessage()).contains(expected));
  }

  @Test
  void allProblemsAreReportedAtOnce() throws IOException {
    String yaml = plan(item("").replace("level: MUST", "level: MUSTY")
        + item("").replace("L1-REP-001", "L2-FO-001").replace("csi-addons spec", "nobody"));
    Path file = write(yaml);

    assertThatThrownBy(() -> PlanLoader.load(file))
        .isInstanceOfSatisfying(InvalidPlanException.class, e -> {
          assertThat(e.origin()).isEqualTo(file.toString());
          assertThat(e.problems()).hasSize(3)
              .anySatisfy(p -> assertThat(p).startsWith("items[0] (L1-REP-001): 'level'"))
              .anySatisfy(p -> assertThat(p).startsWith("items[1] (L2-FO-001): 'layer' is 1"))
              .anySatisfy(p -> assertThat(p).startsWith("items[1] (L2-FO-001): 'source'"));
        });
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("plan.yaml"), yaml);
  }

  private static Arguments bad(String why, String yaml, String... expected) {
    return Arguments.of(why, yaml, List.of(expected));
  }

  private static String plan(String items) {
    return "version: 1\nitems:\n" + items;
  }

  /** A valid item; {@code extra} is appended as further key lines. */
  private static String item(String extra) {
    return """
          - id: L1-REP-001
            title: Promote works
            layer: 1
            source: csi-addons spec
            level: MUST
            capabilities: [replication, resync]
            steps: Call it; expect OK.
        """ + extra;
  }
}
