package dev.replcert.refdriver.cli;

import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.api.csi.v1.ProbeResponse;
import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityResponse;
import dev.replcert.refdriver.client.DriverChannels;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code probe}: CSI Probe plus csi-addons GetIdentity against a running site. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = "Check that a driver site answers: CSI Probe and csi-addons GetIdentity. Exit 0 when healthy, 1 otherwise.")
final class ProbeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--socket", required = true, paramLabel = "PATH", description = "The site's CSI socket.")
  Path socket;

  @Option(
      names = "--addons-socket",
      paramLabel = "PATH",
      description = "The site's csi-addons socket, when it is not the CSI socket.")
  Path addonsSocket;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = Converters.PositiveDuration.class,
      description = "Deadline of each call (Go notation: 5s, 500ms). Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    ManagedChannel csi = DriverChannels.forSocket(socket);
    ManagedChannel addons = addonsSocket == null ? csi : DriverChannels.forSocket(addonsSocket);
    Path calling = socket;
    try {
      ProbeResponse probe =
          IdentityGrpc.newBlockingStub(csi)
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .probe(ProbeRequest.getDefaultInstance());
      if (probe.hasReady() && !probe.getReady().getValue()) {
        return unhealthy(socket, "CSI Probe answered ready=false");
      }
      calling = addonsSocket == null ? socket : addonsSocket;
      GetIdentityResponse identity =
          dev.replcert.api.csiaddons.identity.IdentityGrpc.newBlockingStub(addons)
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .getIdentity(GetIdentityRequest.getDefaultInstance());
      spec.commandLine()
          .getOut()
          .printf(
              "healthy: %s %s site=%s%n",
              identity.getName(), identity.getVendorVersion(), identity.getManifestOrDefault("site", "?"));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (StatusRuntimeException e) {
      return unhealthy(calling, e.getStatus().getCode() + describe(e));
    } finally {
      close(csi);
      if (addons != csi) {
        close(addons);
      }
    }
  }

  private static String describe(StatusRuntimeException e) {
    return e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription();
  }

  private int unhealthy(Path where, String why) {
    spec.commandLine().getErr().printf("unhealthy: %s: %s%n", where, why);
    spec.commandLine().getErr().flush();
    return 1;
  }

  private static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
