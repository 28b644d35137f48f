package dev.replcert.plan;

import java.nio.file.Path;

/** Loads and validates plan.yaml. (Skeleton: the test-plan work fills this in.) */
public final class PlanLoader {

  /** Classpath location of the plan shipped in this module's jar. */
  public static final String BUNDLED_RESOURCE = "META-INF/replcert/plan.yaml";

  private PlanLoader() {}

  /** The plan shipped with this build of replcert. */
  public static TestPlan loadBundled() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** A plan from a file; throws IllegalArgumentException naming the file and item on errors. */
  public static TestPlan load(Path file) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
