package dev.replcert.harness.selfcert;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;

import dev.replcert.harness.junit.PlanItem;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One layer's certification suites, as its self-certification runs them: the package they live in,
 * the tag expression that selects them (as {@code -Pcert} does), the module name their run records
 * carry, and the lab sync period of those runs. The defects themselves are passed by name, so the
 * harness knows nothing of the reference driver (DESIGN.md: layers depend on the harness, never the
 * other way).
 */
public final class Suites {

  private final String layer;
  private final String packageName;
  private final String tagExpression;
  private final String module;
  private final String syncPeriod;
  private Map<String, Method> planIndex;

  /**
   * @param layer what readers call these suites ("layer 1"), in messages
   * @param packageName the package whose certification tests are run
   * @param tagExpression JUnit tag expression of the certification tests ({@code certification & !fixture})
   * @param module the {@code replcert.module} of the runs' records
   * @param syncPeriod the lab's sync period for runs that do not set one, Go-style; null: the lab's default
   */
  public Suites(String layer, String packageName, String tagExpression, String module, String syncPeriod) {
    this.layer = layer;
    this.packageName = packageName;
    this.tagExpression = tagExpression;
    this.module = module;
    this.syncPeriod = syncPeriod;
  }

  public String layer() {
    return layer;
  }

  public String packageName() {
    return packageName;
  }

  public String tagExpression() {
    return tagExpression;
  }

  public String module() {
    return module;
  }

  public String syncPeriod() {
    return syncPeriod;
  }

  /** Every certification suite of the layer. */
  public SuiteRunner all() {
    return new SuiteRunner(this, Set.of());
  }

  /** Only the test methods carrying these plan ids. */
  public SuiteRunner planItems(Collection<String> planIds) {
    if (planIds.isEmpty()) {
      throw new IllegalArgumentException("no plan ids to run");
    }
    return new SuiteRunner(this, Set.copyOf(planIds));
  }

  /** Every certification test method of the layer by its plan id, as the launcher discovers them. */
  public synchronized Map<String, Method> planIndex() {
    if (planIndex == null) {
      planIndex = discoverPlanIndex();
    }
    return planIndex;
  }

  private Map<String, Method> discoverPlanIndex() {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectPackage(packageName))
            .filters(includeTags(tagExpression))
            .build();
    TestPlan plan = launcher().discover(request);
    Map<String, Method> index = new TreeMap<>();
    for (TestIdentifier root : plan.getRoots()) {
      for (TestIdentifier test : plan.getDescendants(root)) {
        if (test.getSource().orElse(null) instanceof MethodSource source) {
          PlanItem item = source.getJavaMethod().getAnnotation(PlanItem.class);
          if (item != null) {
            index.put(item.value(), source.getJavaMethod());
          }
        }
      }
    }
    return Collections.unmodifiableMap(index);
  }

  static Launcher launcher() {
    // no listeners from the class path (Allure's): this run's results are the harness's own
    return LauncherFactory.create(
        LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
  }
}
