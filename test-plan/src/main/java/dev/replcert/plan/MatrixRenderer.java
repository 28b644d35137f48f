package dev.replcert.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders the plan as test-plan/README.md: summary counts, a layer x area matrix and a table of
 * every item per layer.
 *
 * <p>The output depends on the plan only (no timestamps, no paths, file order kept) so that the
 * committed README can be compared byte for byte with a fresh rendering.
 */
public final class MatrixRenderer {

  /** How to regenerate the committed README; shown in the README and by the staleness test. */
  public static final String REGENERATE_COMMAND =
      "./mvnw -pl test-plan process-classes -Dreplcert.plan.update=true";

  private static final Map<Integer, String> LAYER_NAMES =
      Map.of(
          1, "CSI driver and csi-addons objects",
          2, "DR operations through the orchestrator",
          3, "Virtual machines (CNV)");

  // Display names only; an area missing here is shown by its code.
  private static final Map<String, String> AREA_NAMES =
      Map.ofEntries(
          Map.entry("1/ID", "csi-addons Identity"),
          Map.entry("1/REP", "replication RPCs"),
          Map.entry("1/STAT", "replication status"),
          Map.entry("1/DATA", "data across sites"),
          Map.entry("1/VG", "volume groups"),
          Map.entry("1/FENCE", "network fence RPCs"),
          Map.entry("1/PAUSE", "pause and resume"),
          Map.entry("1/VR", "VolumeReplication"),
          Map.entry("1/VGR", "VolumeGroupReplication"),
          Map.entry("1/NF", "NetworkFence"),
          Map.entry("2/START", "start replication"),
          Map.entry("2/PAUSE", "pause data sync"),
          Map.entry("2/RESYNC", "data re-sync"),
          Map.entry("2/FO", "cluster-down failover"),
          Map.entry("2/REL", "planned relocate"),
          Map.entry("2/FB", "failback"),
          Map.entry("2/TRANS", "VRG state transitions"),
          Map.entry("2/PVC", "PVC discovery and protection"),
          Map.entry("2/S3", "S3 metadata"),
          Map.entry("2/FENCE", "multi-cluster fencing"),
          Map.entry("2/SB", "split-brain prevention"),
          Map.entry("2/VS", "VolSync"),
          Map.entry("2/RCP", "recipes"),
          Map.entry("2/DEL", "disable protection"),
          Map.entry("2/ORC", "orchestrator crash consistency"),
          Map.entry("3/VM", "VM on replicated volumes"),
          Map.entry("3/VMFO", "VM failover and relocate"),
          Map.entry("3/MIG", "live migration"),
          Map.entry("3/SNAP", "application-consistent snapshots"));

  private MatrixRenderer() {}

  public static String render(TestPlan plan) {
    Markdown md = new Markdown();
    header(md, plan);
    summary(md, plan);
    matrix(md, plan);
    for (Map.Entry<Integer, List<PlanItem>> layer : byLayer(plan.items()).entrySet()) {
      items(md, layer.getKey(), layer.getValue());
    }
    return md.toString();
  }

  private static void header(Markdown md, TestPlan plan) {
    md.line("<!-- GENERATED FILE: do not edit. Source: test-plan/plan.yaml. Regenerate: "
        + REGENERATE_COMMAND + " -->");
    md.line("# replcert test plan");
    md.blank();
    md.line("This file is generated from [`plan.yaml`](plan.yaml) by the build (`MatrixMain`, phase");
    md.line("`process-classes`). Do not edit it by hand: change `plan.yaml`, then regenerate it with");
    md.blank();
    md.line("    " + REGENERATE_COMMAND);
    md.blank();
    md.line("`PlanMatrixIsCurrentTest` fails the build while this file is stale. The steps of every item");
    md.line("are in `plan.yaml`; a test implements an item by carrying its id in `@PlanItem(\"...\")`.");
    md.line("Levels: MUST failures mean NOT CERTIFIED, SHOULD and MAY failures give warnings. A test");
    md.line("whose capabilities the driver's profile does not claim is skipped with that reason.");
    md.blank();
    md.line("Plan version " + plan.version() + ": " + plan.items().size() + " items.");
    md.blank();
  }

  private static void summary(Markdown md, TestPlan plan) {
    md.line("## Summary");
    md.blank();
    md.row("Layer", "MUST", "SHOULD", "MAY", "Total");
    md.row("---", "---:", "---:", "---:", "---:");
    for (Map.Entry<Integer, List<PlanItem>> layer : byLayer(plan.items()).entrySet()) {
      md.row(withCounts(List.of(layerName(layer.getKey())), layer.getValue()));
    }
    md.row(withCounts(List.of("**All layers**"), plan.items()));
    md.blank();
  }

  private static void matrix(Markdown md, TestPlan plan) {
    md.line("## Layer x area");
    md.blank();
    md.line("Items per level in each area; areas in the order they first appear in `plan.yaml`.");
    md.blank();
    md.row("Layer", "Area", "Covers", "MUST", "SHOULD", "MAY", "Total");
    md.row("---:", "---", "---", "---:", "---:", "---:", "---:");
    for (Map.Entry<Integer, List<PlanItem>> layer : byLayer(plan.items()).entrySet()) {
      Map<String, List<PlanItem>> areas = new LinkedHashMap<>();
      for (PlanItem item : layer.getValue()) {
        areas.computeIfAbsent(item.area(), a -> new ArrayList<>()).add(item);
      }
      for (Map.Entry<String, List<PlanItem>> area : areas.entrySet()) {
        String name = AREA_NAMES.getOrDefault(layer.getKey() + "/" + area.getKey(), "");
        md.row(withCounts(List.of(String.valueOf(layer.getKey()), area.getKey(), name), area.getValue()));
      }
    }
    md.blank();
  }

  private static void items(Markdown md, int layer, List<PlanItem> items) {
    md.line("## " + layerName(layer));
    md.blank();
    md.row("Id", "Title", "Source", "Level", "Capabilities");
    md.row("---", "---", "---", "---", "---");
    for (PlanItem item : items) {
      String caps = item.capabilities().isEmpty()
          ? "(none)"
          : item.capabilities().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
      md.row(item.id(), item.title(), item.source(), item.level().name(), caps);
    }
    md.blank();
  }

  /** The leading cells, then the MUST, SHOULD, MAY and total counts of the items. */
  private static List<String> withCounts(List<String> leading, List<PlanItem> items) {
    Map<Level, Integer> perLevel = new EnumMap<>(Level.class);
    for (Level level : Level.values()) {
      perLevel.put(level, 0);
    }
    items.forEach(i -> perLevel.merge(i.level(), 1, Integer::sum));
    List<String> row = new ArrayList<>(leading);
    perLevel.values().forEach(n -> row.add(String.valueOf(n)));
    row.add(String.valueOf(items.size()));
    return row;
  }

  private static Map<Integer, List<PlanItem>> byLayer(List<PlanItem> items) {
    Map<Integer, List<PlanItem>> layers = new TreeMap<>();
    for (PlanItem item : items) {
      layers.computeIfAbsent(item.layer(), l -> new ArrayList<>()).add(item);
    }
    return layers;
  }

  private static String layerName(int layer) {
    return "Layer " + layer + ": " + LAYER_NAMES.getOrDefault(layer, "other");
  }

  /** Minimal markdown writer: '\n' line ends everywhere, table cells escaped. */
  private static final class Markdown {
    private final StringBuilder sb = new StringBuilder();

    void line(String text) {
      sb.append(text).append('\n');
    }

    void blank() {
      sb.append('\n');
    }

    void row(String... cells) {
      row(List.of(cells));
    }

    void row(List<String> cells) {
      sb.append('|');
      for (String cell : cells) {
        sb.append(' ').append(escape(cell)).append(" |");
      }
      sb.append('\n');
    }

    // A '|' in a title would split the cell; a newline would end the table.
    private static String escape(String cell) {
      return cell.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
