/**
 * The certification report: run records of one run plus the test plan in, a verdict and
 * report.html / report.json / report.md out.
 *
 * <p>Flow: {@link dev.replcert.reports.ReportMain} finds and reads the run records, {@link
 * dev.replcert.reports.RunMerger} keeps those of the requested run, {@link
 * dev.replcert.reports.Evaluator} classifies every plan item and decides the verdicts (pure, so
 * every rule is unit-tested), and one {@link dev.replcert.reports.ReportRenderer} per format
 * writes the files.
 *
 * <p>The rules fail closed. An item is PASSED only when every test result carrying its id passed;
 * SKIPPED and ABORTED never count as passed, and an item nobody tests is NOT IMPLEMENTED, which
 * is the harness's gap (shown as harness coverage) and never the driver's. A failed MUST item, or
 * a run in which nothing passed, is NOT CERTIFIED. A failed SHOULD or MAY item, a MUST item
 * skipped although the driver claims what it needs, a claimed capability with no passed item,
 * a test outside the plan and run records that disagree with each other are warnings.
 */
package dev.replcert.reports;
