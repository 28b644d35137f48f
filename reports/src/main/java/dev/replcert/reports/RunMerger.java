package dev.replcert.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.record.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Merges the run records of one run (one per module that ran certification suites) into one {@link
 * MergedRun}. Records of other runs are set aside, never merged: a stale record left in some
 * module's target directory must not lend its passes to this run.
 */
public final class RunMerger {

  private RunMerger() {}

  public static MergedRun merge(String runId, List<LoadedRecord> loaded) {
    Objects.requireNonNull(runId, "runId");
    List<LoadedRecord> ours = new ArrayList<>();
    List<RecordSource> ignored = new ArrayList<>();
    for (LoadedRecord r : loaded) {
      if (runId.equals(r.record().runId())) {
        ours.add(r);
      } else {
        ignored.add(r.source());
      }
    }
    ours.sort(Comparator.comparing(LoadedRecord::path));
    List<RunRecord> records = ours.stream().map(LoadedRecord::record).toList();
    List<String> inconsistencies = new ArrayList<>();

    RunInfo info =
        new RunInfo(
            runId,
            agreed(records, RunRecord::harnessVersion, "harness version", inconsistencies),
            agreed(records, RunRecord::mode, "mode", inconsistencies),
            driver(records, inconsistencies),
            profile(records, inconsistencies),
            records.stream()
                .map(RunRecord::startedAt)
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .orElse(null),
            records.stream()
                .map(RunRecord::finishedAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null),
            ours.stream().map(LoadedRecord::source).toList(),
            ignored,
            configs(records),
            inconsistencies);

    List<ExecutedTest> tests =
        records.stream()
            .flatMap(rec -> rec.tests().stream().map(t -> new ExecutedTest(rec.module(), t)))
            .toList();
    return new MergedRun(info, tests);
  }

  /** The one value all records agree on; otherwise all values joined, and a recorded complaint. */
  private static String agreed(
      List<RunRecord> records, Function<RunRecord, String> field, String what, List<String> out) {
    Map<String, List<String>> byValue = byValue(records, field);
    if (byValue.size() > 1) {
      out.add("The run records disagree on the " + what + ": " + describe(byValue) + ".");
    }
    return byValue.isEmpty() ? null : String.join(" / ", byValue.keySet());
  }

  private static DriverIdentity driver(List<RunRecord> records, List<String> out) {
    Map<DriverIdentity, List<String>> byDriver = new LinkedHashMap<>();
    for (RunRecord r : records) {
      if (r.driver() != null) {
        byDriver.computeIfAbsent(r.driver(), d -> new ArrayList<>()).add(r.module());
      }
    }
    if (byDriver.size() > 1) {
      out.add(
          "The run records disagree on the driver under test: "
              + byDriver.entrySet().stream()
                  .map(e -> name(e.getKey()) + " (" + String.join(", ", e.getValue()) + ")")
                  .collect(Collectors.joining("; "))
              + ".");
    }
    return byDriver.isEmpty() ? null : byDriver.keySet().iterator().next();
  }

  private static String name(DriverIdentity d) {
    String version = d.vendorVersion() == null ? "" : " " + d.vendorVersion();
    String name = d.reportedName() != null ? d.reportedName() : d.configuredName();
    return name + version;
  }

  /** A capability is claimed when any record claims it; disagreements are recorded. */
  private static Map<String, Boolean> profile(List<RunRecord> records, List<String> out) {
    Map<String, Boolean> merged = new TreeMap<>();
    for (RunRecord r : records) {
      r.capabilities().forEach((id, claimed) -> merged.merge(id, claimed, Boolean::logicalOr));
    }
    for (Map.Entry<String, Boolean> e : merged.entrySet()) {
      if (!e.getValue()) {
        continue;
      }
      List<String> notClaiming =
          records.stream()
              .filter(r -> !Boolean.TRUE.equals(r.capabilities().get(e.getKey())))
              .map(RunRecord::module)
              .toList();
      if (!notClaiming.isEmpty()) {
        out.add(
            "The run records disagree on the capability profile: '"
                + e.getKey()
                + "' is not claimed by "
                + String.join(", ", notClaiming)
                + " (treated as claimed).");
      }
    }
    return merged;
  }

  private static List<ModuleConfig> configs(List<RunRecord> records) {
    Map<JsonNode, List<String>> byConfig = new LinkedHashMap<>();
    for (RunRecord r : records) {
      JsonNode config = r.config() == null ? NullNode.getInstance() : r.config();
      byConfig.computeIfAbsent(config, c -> new ArrayList<>()).add(r.module());
    }
    return byConfig.entrySet().stream()
        .map(e -> new ModuleConfig(e.getValue(), e.getKey()))
        .toList();
  }

  private static Map<String, List<String>> byValue(
      List<RunRecord> records, Function<RunRecord, String> field) {
    Map<String, List<String>> byValue = new LinkedHashMap<>();
    for (RunRecord r : records) {
      String v = field.apply(r);
      if (v != null) {
        byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(r.module());
      }
    }
    return byValue;
  }

  private static String describe(Map<String, List<String>> byValue) {
    return byValue.entrySet().stream()
        .map(e -> "'" + e.getKey() + "' (" + String.join(", ", e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }
}
