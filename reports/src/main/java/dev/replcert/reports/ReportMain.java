package dev.replcert.reports;

import dev.replcert.plan.PlanLoader;
import dev.replcert.plan.TestPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Makes the certification report of one run: scans the repository for run records, evaluates them
 * against the test plan, writes report.html, report.json and report.md, prints a summary.
 *
 * <p>Exit codes: {@value #EXIT_CERTIFIED} certified (with or without warnings), {@value
 * #EXIT_NOT_CERTIFIED} not certified (after the reports are written, so a failed build still leaves
 * them), {@value #EXIT_BAD_INPUT} bad arguments or unreadable inputs.
 */
public final class ReportMain {

  public static final int EXIT_CERTIFIED = 0;
  public static final int EXIT_NOT_CERTIFIED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  /** Where the plan comes from; tests substitute one while the plan loader is being written. */
  interface PlanSource {
    TestPlan load(Optional<Path> planFile);
  }

  private final PlanSource plans;

  public ReportMain() {
    this(ReportMain::loadPlan);
  }

  ReportMain(PlanSource plans) {
    this.plans = plans;
  }

  public static void main(String[] args) {
    System.exit(new ReportMain().run(args, System.out));
  }

  public int run(String[] args, PrintStream out) {
    try {
      ReportArgs a = ReportArgs.parse(args);
      CertificationReport report = evaluate(a);
      List<Path> files = write(report, a.out());
      ConsoleSummary.print(report, files, out);
      return report.verdict().verdict() == Verdict.NOT_CERTIFIED
          ? EXIT_NOT_CERTIFIED
          : EXIT_CERTIFIED;
    } catch (InputException e) {
      out.println("replcert report: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
  }

  private CertificationReport evaluate(ReportArgs a) throws InputException {
    if (!Files.isDirectory(a.root())) {
      throw new InputException("--root " + a.root().toAbsolutePath() + " is not a directory");
    }
    List<Path> files;
    try {
      files = RunRecordScanner.scan(a.root());
    } catch (IOException e) {
      throw new InputException(
          "cannot scan " + a.root().toAbsolutePath() + " for run records: " + e, e);
    }
    List<LoadedRecord> records = RecordLoader.load(a.root(), files);
    return Evaluator.evaluate(plan(a.plan()), a.runId(), records, Instant.now());
  }

  private TestPlan plan(Optional<Path> file) throws InputException {
    if (file.isPresent() && !Files.isReadable(file.get())) {
      throw new InputException(
          "--plan " + file.get().toAbsolutePath() + " does not exist or is not readable");
    }
    TestPlan plan;
    try {
      plan = plans.load(file);
    } catch (RuntimeException e) {
      throw new InputException("cannot load " + planName(file) + ": " + e.getMessage(), e);
    }
    try {
      PlanCheck.requireValid(plan);
    } catch (IllegalArgumentException e) {
      throw new InputException(planName(file) + ": " + e.getMessage(), e);
    }
    return plan;
  }

  private static String planName(Optional<Path> file) {
    return file.map(f -> "test plan " + f.toAbsolutePath()).orElse("the bundled test plan");
  }

  private static List<Path> write(CertificationReport report, Path out) throws InputException {
    try {
      return ReportFiles.write(report, out);
    } catch (IOException e) {
      throw new InputException("cannot write the reports to " + out.toAbsolutePath() + ": " + e, e);
    }
  }

  private static TestPlan loadPlan(Optional<Path> file) {
    return file.map(PlanLoader::load).orElseGet(PlanLoader::loadBundled);
  }
}
