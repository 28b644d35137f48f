package dev.replcert.refdriver.grpc;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.SiteApi;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What every gRPC service of one site shares: the engine, the options (secrets, defects), the
 * per-id operation locks and the node publications.
 *
 * @param dataPathSocket the socket serving DataPath; written into every published handle file
 */
public record Facade(
    DriverOptions options, SiteApi site, OperationLocks locks, NodePublications publications, Path dataPathSocket) {

  public Facade {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(locks, "locks");
    Objects.requireNonNull(publications, "publications");
    Objects.requireNonNull(dataPathSocket, "dataPathSocket");
  }

  public static Facade of(DriverOptions options, SiteApi site) {
    return new Facade(options, site, new OperationLocks(), new NodePublications(), options.socket());
  }

  boolean has(Defect defect) {
    return options.has(defect);
  }

  /**
   * csi-addons requests must carry exactly the configured secrets (when any are configured). The
   * message never names a key or value: a wrong secret must not leak the right one.
   */
  void checkSecrets(Map<String, String> secrets) {
    if (!options.secrets().isEmpty() && !options.secrets().equals(secrets)) {
      throw new DriverException(ErrorCode.UNAUTHENTICATED, "secrets do not match");
    }
  }
}
