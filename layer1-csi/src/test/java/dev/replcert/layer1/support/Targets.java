package dev.replcert.layer1.support;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.ReplicationControl;
import dev.replcert.harness.spi.ReplicationSchedule;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the environment can do beyond talking to the driver. A test that needs a missing piece is
 * aborted with the reason (the report lists it as not verified in this environment); it never
 * passes without having checked.
 */
public final class Targets {

  private Targets() {}

  /** How often the driver really ships a sync (the lab says; else the configured interval). */
  public static Duration syncInterval(Environment environment, CertificationConfig config) {
    return environment
        .client(ReplicationSchedule.class, Optional.empty())
        .map(ReplicationSchedule::interval)
        .orElse(config.driver().replication().schedulingInterval());
  }

  /** The disaster injector for the site, or the test is aborted saying how to provide one. */
  public static DisasterInjector disasters(Environment environment, String site) {
    Optional<DisasterInjector> injector =
        environment.client(DisasterInjector.class, Optional.empty()).filter(d -> d.supports(site));
    Assumptions.assumeTrue(
        injector.isPresent(),
        "environment '"
            + environment.name()
            + "' cannot take site "
            + site
            + " down: configure disaster.sites."
            + site
            + ".down/up in cert.yaml");
    return injector.get();
  }

  /** Pause/resume, or the test is aborted saying how to provide it. */
  public static ReplicationControl replicationControl(Environment environment) {
    Optional<ReplicationControl> control = environment.client(ReplicationControl.class, Optional.empty());
    Assumptions.assumeTrue(
        control.isPresent(),
        "environment '"
            + environment.name()
            + "' has no replication control: configure driver.replicationControl.pause/resume");
    return control.get();
  }
}
