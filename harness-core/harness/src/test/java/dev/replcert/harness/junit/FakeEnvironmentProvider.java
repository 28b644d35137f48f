package dev.replcert.harness.junit;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.Mode;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.EnvironmentProvider;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A lab-mode environment for the harness's own tests: one fake client per site. */
public final class FakeEnvironmentProvider implements EnvironmentProvider {

  static final AtomicInteger STARTED = new AtomicInteger();
  static final AtomicInteger CLOSED = new AtomicInteger();
  static final CallLog CALLS = new CallLog();

  /** The per-site client a sample test asks for. */
  public record SiteClient(String site) {}

  @Override
  public boolean supports(Mode mode) {
    return mode == Mode.LAB;
  }

  @Override
  public Environment start(CertificationConfig config) {
    STARTED.incrementAndGet();
    return new Environment() {
      @Override
      public String name() {
        return "fake-lab";
      }

      @Override
      public <T> Optional<T> client(Class<T> type, Optional<String> site) {
        if (type == CallLog.class) {
          return Optional.of(type.cast(CALLS));
        }
        if (type == SiteClient.class && site.isPresent() && !site.get().equals("nowhere")) {
          return Optional.of(type.cast(new SiteClient(site.get())));
        }
        return Optional.empty();
      }

      @Override
      public Optional<DriverIdentity> driverIdentity() {
        return Optional.of(
            new DriverIdentity(null, "fake.replcert.dev", "9.9.9", Map.of("sites", "east,west")));
      }

      @Override
      public void close() {
        CLOSED.incrementAndGet();
      }
    };
  }
}
