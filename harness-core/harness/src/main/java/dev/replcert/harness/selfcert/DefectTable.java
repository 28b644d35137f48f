package dev.replcert.harness.selfcert;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A layer's defect coverage: for each defect of the reference driver's catalog (by id: the harness
 * does not know the driver), the plan items that fail with it, or why none does. Each layer keeps
 * its rows in a {@code DefectCoverage} class, checks them with {@link #problems} and renders its
 * {@code DEFECTS.md} table with {@link #markdownRows}.
 */
public final class DefectTable {

  /** What a layer does about one defect. */
  public enum Kind {
    /** The listed plan items fail with the defect on. */
    CAUGHT,
    /** The layer cannot see it, or it is another layer's matter (the reason says which catches it). */
    ELSEWHERE,
    /** The layer could see it, but none of its tests fails with it yet (the reason says which area should). */
    NOT_CAUGHT
  }

  /** One row: the defect id, how the layer deals with it, the plan ids that catch it or why none does. */
  public record Row(String defect, Kind kind, Set<String> planIds, String reason) {
    public boolean caught() {
      return kind == Kind.CAUGHT;
    }
  }

  /** What the catalog says of one defect, for the rendered table. */
  public record Described(String description, String rule) {}

  private final String layer;
  private final Map<String, Row> rows;

  /** @param layer "layer 1", in messages */
  public DefectTable(String layer, Row... rows) {
    this.layer = layer;
    Map<String, Row> table = new LinkedHashMap<>();
    for (Row row : rows) {
      if (table.put(row.defect(), row) != null) {
        throw new IllegalStateException(layer + "'s defect coverage lists " + row.defect() + " twice");
      }
    }
    this.rows = Collections.unmodifiableMap(table);
  }

  public static Row caught(String defect, String... planIds) {
    return new Row(defect, Kind.CAUGHT, Collections.unmodifiableSet(new LinkedHashSet<>(List.of(planIds))), null);
  }

  public static Row elsewhere(String defect, String reason) {
    return new Row(defect, Kind.ELSEWHERE, Set.of(), reason);
  }

  public static Row notCaught(String defect, String reason) {
    return new Row(defect, Kind.NOT_CAUGHT, Set.of(), reason);
  }

  /** Every row, in the order given. */
  public Map<String, Row> rows() {
    return rows;
  }

  public Row of(String defect) {
    Row row = rows.get(defect);
    if (row == null) {
      throw new IllegalStateException(layer + "'s defect coverage has no row for " + defect);
    }
    return row;
  }

  public long count(Kind kind) {
    return rows.values().stream().filter(r -> r.kind() == kind).count();
  }

  /**
   * What is wrong with the table, one line each (none: sound): a defect of the catalog without a
   * row, a row for no such defect, a caught row without plan ids, another row without a reason or
   * with plan ids, a plan id no test of the layer carries.
   */
  public List<String> problems(Collection<String> catalog, Set<String> planIds) {
    List<String> problems = new java.util.ArrayList<>();
    catalog.stream().filter(d -> !rows.containsKey(d))
        .forEach(d -> problems.add(d + " has no row: say which " + layer + " tests catch it, or why none does"));
    rows.keySet().stream().filter(d -> !catalog.contains(d))
        .forEach(d -> problems.add(d + " is not a defect of the catalog"));
    for (Row row : rows.values()) {
      if (row.caught() && row.planIds().isEmpty()) {
        problems.add(row.defect() + " is caught, but by no plan id");
      }
      if (!row.caught() && (row.reason() == null || row.reason().isBlank() || !row.planIds().isEmpty())) {
        problems.add(row.defect() + " is " + row.kind() + ": it needs a reason and no plan ids");
      }
      Set<String> unknown = new TreeSet<>(row.planIds());
      unknown.removeAll(planIds);
      if (!unknown.isEmpty()) {
        problems.add(row.defect() + " names " + unknown + ", which no " + layer + " test carries");
      }
    }
    return problems;
  }

  /**
   * The markdown table of {@code DEFECTS.md}: one row per defect of the catalog, in its order.
   *
   * @param catalog every defect id with its description and rule, in catalog order
   * @param tests every test method of the layer by plan id
   * @param notCaughtCell how a row of each other kind begins ("not observable by layer 1: ")
   */
  public String markdownRows(
      Map<String, Described> catalog, Map<String, Method> tests, Function<Kind, String> notCaughtCell) {
    StringBuilder md = new StringBuilder();
    catalog.forEach((defect, described) -> {
      Row row = rows.get(defect);
      md.append("| `").append(defect).append("` | ")
          .append(cell(described.description())).append(" | ")
          .append(cell(described.rule())).append(" | ")
          .append(row == null ? "(no entry)" : caughtBy(row, tests, notCaughtCell)).append(" |\n");
    });
    return md.toString();
  }

  private static String caughtBy(Row row, Map<String, Method> tests, Function<Kind, String> notCaughtCell) {
    if (!row.caught()) {
      return notCaughtCell.apply(row.kind()) + cell(row.reason());
    }
    return row.planIds().stream()
        .map(id -> "`" + id + "` " + test(tests.get(id)))
        .collect(Collectors.joining("<br>"));
  }

  private static String test(Method method) {
    return method == null
        ? "(no such test)"
        : method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
