package dev.replcert.harness.junit;

import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.TestResult;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import io.qameta.allure.Allure;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 side of a certification suite (wired by {@link Certification}): fails a test early
 * on an invalid configuration, injects the run's configuration, environment and clients, gives
 * each test its own {@link ResourceTracker} and {@link Evidence}, cleans up after it (unless
 * {@code replcert.keepOnFailure} keeps a failed test's resources), and records its result.
 */
final class CertificationExtension
    implements BeforeEachCallback,
        BeforeTestExecutionCallback,
        AfterEachCallback,
        AfterAllCallback,
        TestWatcher,
        ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(CertificationExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CertificationExtension.class);

  /** What one test (or one class, for class-level injection) owns. */
  private static final class Scope {
    final ResourceTracker tracker;
    final Evidence evidence;
    Instant startedAt;

    Scope(String name, CertificationRun run) {
      this.tracker = new ResourceTracker(name);
      this.evidence = new Evidence(run.redactor());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    CertificationRun run = CertificationRun.of(context);
    run.config(); // an invalid configuration fails the test here, before it touches anything
    planId(context).ifPresent(id -> Allure.label("planItem", id));
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    scope(context).startedAt = Instant.now();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      cleanUp(context);
    } finally {
      attachCallLog(context);
    }
  }

  /** The test's own gRPC calls (cleanup included), when the environment keeps a call log. */
  private void attachCallLog(ExtensionContext context) {
    Scope scope = context.getStore(NAMESPACE).get(Scope.class, Scope.class);
    if (scope == null || scope.startedAt == null) {
      return;
    }
    CertificationRun.of(context)
        .startedEnvironment()
        .flatMap(e -> e.client(CallLog.class, Optional.empty()))
        .map(log -> log.since(scope.startedAt))
        .filter(calls -> !calls.isEmpty())
        .ifPresent(
            calls ->
                scope.evidence.attach(
                    "gRPC calls",
                    calls.stream().map(CallRecord::line).collect(Collectors.joining("\n"))));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    cleanUp(context);
  }

  private void cleanUp(ExtensionContext context) {
    Scope scope = context.getStore(NAMESPACE).get(Scope.class, Scope.class);
    if (scope == null) {
      return;
    }
    boolean failed = context.getExecutionException().isPresent();
    if (failed && CertificationRun.of(context).settings().keepOnFailure()) {
      List<String> kept = scope.tracker.abandon();
      if (!kept.isEmpty()) {
        LOG.warn(
            "replcert.keepOnFailure=true: kept {} resource(s) of {}: {}",
            kept.size(),
            context.getDisplayName(),
            kept);
        scope.evidence.attach("resources kept for debugging", String.join("\n", kept));
      }
      return;
    }
    scope.tracker.cleanUp();
  }

  // ---- results ----

  @Override
  public void testSuccessful(ExtensionContext context) {
    record(context, Outcome.PASSED, null);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    record(context, Outcome.FAILED, describe(cause));
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    record(context, Outcome.ABORTED, describe(cause));
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    record(context, Outcome.SKIPPED, reason.orElse("disabled without a reason"));
  }

  private void record(ExtensionContext context, Outcome outcome, String reason) {
    CertificationRun run = CertificationRun.of(context);
    Scope scope = context.getStore(NAMESPACE).get(Scope.class, Scope.class);
    Instant started = scope == null ? null : scope.startedAt;
    Duration duration = started == null ? Duration.ZERO : Duration.between(started, Instant.now());
    run.record(
        new TestResult(
            planId(context).orElse(null),
            testId(context),
            context.getDisplayName(),
            outcome,
            run.redactor().apply(reason),
            started,
            duration,
            scope == null ? List.of() : scope.evidence.measurements(),
            scope == null ? List.of() : scope.evidence.attachments()));
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    if (cause instanceof AssertionError && message != null) {
      return message;
    }
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Optional<String> planId(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.getAnnotation(PlanItem.class)).map(PlanItem::value);
  }

  private static String testId(ExtensionContext context) {
    String id =
        context.getRequiredTestClass().getName() + "#" + context.getRequiredTestMethod().getName();
    // a template invocation (parameterized, repeated) gets its own id
    return context.getUniqueId().contains("-invocation:") ? id + " " + context.getDisplayName() : id;
  }

  private Scope scope(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Scope.class,
            k -> new Scope(context.getDisplayName(), CertificationRun.of(context)),
            Scope.class);
  }

  // ---- injection ----

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    if (isHarnessType(type)) {
      return true;
    }
    if (type.getName().startsWith("org.junit.") || type.isPrimitive() || type == String.class) {
      return false;
    }
    if (parameterContext.isAnnotated(Site.class)) {
      return true; // ours: resolveParameter names the site if the environment lacks the client
    }
    if (parameterContext.getParameter().getAnnotations().length > 0) {
      return false; // another extension's parameter (@TempDir, ...)
    }
    try {
      return client(parameterContext.getParameter(), context).isPresent();
    } catch (RuntimeException environmentOrConfigError) {
      return true; // resolveParameter reports the error with its full message
    }
  }

  private static boolean isHarnessType(Class<?> type) {
    return type == CertificationConfig.class
        || type == CapabilityProfile.class
        || type == TimeoutProfile.class
        || type == Environment.class
        || type == ResourceTracker.class
        || type == Evidence.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    CertificationRun run = CertificationRun.of(context);
    Class<?> type = parameterContext.getParameter().getType();
    if (type == CertificationConfig.class) {
      return run.config();
    } else if (type == CapabilityProfile.class) {
      return run.config().capabilities();
    } else if (type == TimeoutProfile.class) {
      return run.config().timeoutProfile();
    } else if (type == Environment.class) {
      return run.environment();
    } else if (type == ResourceTracker.class) {
      return scope(context).tracker;
    } else if (type == Evidence.class) {
      return scope(context).evidence;
    }
    Parameter parameter = parameterContext.getParameter();
    return client(parameter, context)
        .orElseThrow(
            () ->
                new ParameterResolutionException(
                    "environment '"
                        + run.environment().name()
                        + "' has no client of type "
                        + type.getName()
                        + site(parameter).map(s -> " for site '" + s + "'").orElse("")));
  }

  private static Optional<?> client(Parameter parameter, ExtensionContext context) {
    return CertificationRun.of(context).environment().client(parameter.getType(), site(parameter));
  }

  private static Optional<String> site(Parameter parameter) {
    return Optional.ofNullable(parameter.getAnnotation(Site.class)).map(Site::value);
  }
}
