package dev.replcert.harness.spi;

import dev.replcert.harness.record.DriverIdentity;
import java.util.Optional;

/**
 * What a suite talks to: the target the harness certifies (the embedded lab, real clusters, or a
 * vendor's driver endpoints). Suites never branch on the mode; they ask the environment for
 * clients. An environment is started once per run and closed at its end.
 */
public interface Environment extends AutoCloseable {

  /** Short name for logs and the report, e.g. {@code lab}. */
  String name();

  /**
   * A client of the given type, for the given site when the client is per site ({@code hub},
   * {@code east}, {@code west}), e.g. a Kubernetes client or a driver channel. Empty when this
   * environment has no such client; the harness then fails the test naming the type and site.
   */
  <T> Optional<T> client(Class<T> type, Optional<String> site);

  /** What the driver reported about itself, when the environment could ask it. */
  default Optional<DriverIdentity> driverIdentity() {
    return Optional.empty();
  }

  /** Releases everything the environment started or created. Must not throw for normal stops. */
  @Override
  void close();
}
