package dev.replcert.refdriver.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code defects}: prints the defect catalog. */
@Command(
    name = "defects",
    mixinStandardHelpOptions = true,
    description = "Print the catalog of switchable defects (id, what the driver then does, the rule it breaks).")
final class DefectsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the catalog as JSON (the content of " + DefectCatalog.RESOURCE + ").")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(DefectCatalog.json());
    } else {
      table(out, DefectCatalog.entries());
    }
    out.flush();
    return 0;
  }

  private static void table(PrintWriter out, List<DefectCatalog.Entry> entries) {
    int id = Math.max("ID".length(), entries.stream().mapToInt(e -> e.id().length()).max().orElse(0));
    int description =
        Math.max("DESCRIPTION".length(), entries.stream().mapToInt(e -> e.description().length()).max().orElse(0));
    String row = "%-" + id + "s  %-" + description + "s  %s%n";
    out.printf(row, "ID", "DESCRIPTION", "RULE");
    entries.forEach(e -> out.printf(row, e.id(), e.description(), e.rule()));
  }
}
