package dev.replcert.reports;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of {@link ReportMain}: one flag, one field.
 *
 * @param root repository root to scan for run records
 * @param runId the run to report on
 * @param out directory the reports are written to
 * @param plan plan file; empty means the plan bundled with this build
 */
record ReportArgs(Path root, String runId, Path out, Optional<Path> plan) {

  static final String USAGE =
      "usage: ReportMain --root <repoRoot> --run-id <id> --out <dir> [--plan <plan.yaml>]";

  static ReportArgs parse(String[] args) throws InputException {
    String root = null;
    String runId = null;
    String out = null;
    String plan = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new InputException(flag + " needs a value (" + USAGE + ")");
      }
      String value = args[++i];
      switch (flag) {
        case "--root" -> root = value;
        case "--run-id" -> runId = value;
        case "--out" -> out = value;
        case "--plan" -> plan = value;
        default -> throw new InputException("unknown argument " + flag + " (" + USAGE + ")");
      }
      // Maven passes an undefined property through literally; that must not become a run id
      if (value.isBlank() || value.contains("${")) {
        throw new InputException(flag + " has no usable value: '" + value + "'");
      }
    }
    require(root, "--root");
    require(runId, "--run-id");
    require(out, "--out");
    return new ReportArgs(
        Path.of(root), runId, Path.of(out), Optional.ofNullable(plan).map(Path::of));
  }

  private static void require(String value, String flag) throws InputException {
    if (value == null) {
      throw new InputException(flag + " is required (" + USAGE + ")");
    }
  }
}
