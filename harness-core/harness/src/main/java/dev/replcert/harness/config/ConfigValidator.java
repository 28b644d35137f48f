package dev.replcert.harness.config;

/** All semantic checks, after binding; reports every problem it finds into {@link Problems}. */
final class ConfigValidator extends Rules {

  private ConfigValidator(CertificationConfig config, Problems problems) {
    super(config, problems);
  }

  static void validate(CertificationConfig config, Problems problems) {
    new ConfigValidator(config, problems).check();
    new DriverRules(config, problems).check();
    new TargetRules(config, problems).check();
  }

  @Override
  void check() {
    if (config.orchestrator() == Orchestrator.RAMEN
        && !modeIs(Mode.CLUSTERS)
        && !problems.bindingFailed("mode")) {
      problems.add(
          "orchestrator",
          "ramen is only used in clusters mode; expected bundled (the default) in "
              + modeName()
              + " mode");
    }
    ClassNames classes = config.classes();
    if (classes.drPolicy() != null && classes.volumeReplicationClass() == null) {
      // the policy's replicationClassSelector picks existing classes, never a test's own
      problems.add(
          "classes.drPolicy",
          "an existing DRPolicy needs the VolumeReplicationClass it selects: expected"
              + " classes.volumeReplicationClass too");
    }
    WorkloadConfig workload = config.workload();
    if (workload.image().isBlank()) {
      problems.add("workload.image", "expected a container image reference");
    }
    if (workload.recordSize() < WorkloadConfig.MIN_RECORD_SIZE
        || workload.recordSize() > WorkloadConfig.MAX_RECORD_SIZE) {
      problems.add(
          "workload.recordSize",
          "expected a record size in bytes from "
              + WorkloadConfig.MIN_RECORD_SIZE
              + " to "
              + WorkloadConfig.MAX_RECORD_SIZE
              + " (1MiB)");
    }
    if (workload.command().isEmpty()) {
      problems.add("workload.command", "empty command; expected " + COMMAND);
    } else {
      for (int i = 0; i < workload.command().size(); i++) {
        if (Checks.isBlank(workload.command().get(i))) {
          problems.add(KeyPaths.element("workload.command", i), "expected a non-empty argument");
        }
      }
    }
    if (workload.writesPerSecond() <= 0) {
      problems.add("workload.writesPerSecond", "expected a positive number of writes per second");
    }
    if (TimeoutProfile.preset(config.timeouts().profile()).isEmpty()) {
      problems.add(
          "timeouts.profile", "expected one of " + String.join(", ", TimeoutProfile.presetNames()));
    }
    int count = config.suite().idempotentCount();
    if (count < 1 || count > SuiteConfig.MAX_IDEMPOTENT_COUNT) {
      problems.add(
          "suite.idempotentCount",
          "expected a whole number from 1 to " + SuiteConfig.MAX_IDEMPOTENT_COUNT);
    }
  }
}
