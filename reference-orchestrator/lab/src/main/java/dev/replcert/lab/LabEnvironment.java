package dev.replcert.lab;

import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityResponse;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.ReplicationControl;
import dev.replcert.harness.spi.ReplicationSchedule;
import dev.replcert.refdriver.DriverOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code mode: lab}: the bundled reference driver with two sites, east and west, replicating over
 * a loopback TCP link, everything under one temporary directory that is removed on close. (The
 * Kubernetes API servers, S3 and substrate controllers join the lab with later work.)
 */
final class LabEnvironment implements Environment {

  static final List<String> SITES = List.of("east", "west");

  private final Path root;
  private final LabSettings settings;
  private final CallLog log = new CallLog();
  private final Map<String, LabSite> sites = new LinkedHashMap<>();
  private final DisasterInjector disasters;
  private final ReplicationControl control;
  private final Duration rpcTimeout;

  LabEnvironment(CertificationConfig config, LabSettings settings) {
    this.settings = settings;
    this.rpcTimeout = config.timeoutProfile().of(TimeoutOperation.RPC);
    try {
      // short: unix socket paths must stay under 108 bytes
      this.root = Files.createTempDirectory("replcert-lab");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lab's directory", e);
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    config.driver().secrets().forEach((k, v) -> secrets.put(k, v.reveal()));
    List<String> secretValues = new ArrayList<>(secrets.values());
    try {
      List<InetSocketAddress> links = freeLoopbackAddresses(SITES.size());
      for (int i = 0; i < SITES.size(); i++) {
        String site = SITES.get(i);
        Path siteRoot = Files.createDirectories(root.resolve(site));
        DriverOptions options =
            new DriverOptions(
                site,
                siteRoot,
                siteRoot.resolve("csi.sock"),
                null,
                links.get(i),
                links.get((i + 1) % SITES.size()),
                settings.syncPeriod(),
                null,
                secrets,
                settings.defects());
        sites.put(site, new LabSite(options, log, new Redactor(secretValues)));
      }
      awaitProbes();
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    this.disasters = new LabDisasterInjector(sites, rpcTimeout);
    this.control = new LabReplicationControl(sites, rpcTimeout);
  }

  /** Both sites answer CSI Probe, or the lab fails to start within the rpc timeout. */
  private void awaitProbes() {
    sites.values().forEach(site -> site.awaitAnswering(rpcTimeout));
  }

  private static List<InetSocketAddress> freeLoopbackAddresses(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()));
      }
      return addresses;
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  @Override
  public String name() {
    return "lab";
  }

  /** The lab's directory (removed on close). */
  Path root() {
    return root;
  }

  @Override
  public <T> Optional<T> client(Class<T> type, Optional<String> site) {
    if (type == DriverEndpoint.class && site.isPresent()) {
      return Optional.ofNullable(sites.get(site.get())).map(s -> type.cast(s.endpoint()));
    }
    if (type == CallLog.class) {
      return Optional.of(type.cast(log));
    }
    if (type == DisasterInjector.class) {
      return Optional.of(type.cast(disasters));
    }
    if (type == ReplicationControl.class) {
      return Optional.of(type.cast(control));
    }
    if (type == ReplicationSchedule.class) {
      return Optional.of(type.cast(new ReplicationSchedule(settings.syncPeriod())));
    }
    return Optional.empty();
  }

  @Override
  public Optional<DriverIdentity> driverIdentity() {
    LabSite east = sites.get("east");
    if (east == null || east.isDown()) {
      return Optional.empty();
    }
    GetIdentityResponse identity =
        dev.replcert.api.csiaddons.identity.IdentityGrpc.newBlockingStub(east.endpoint().addons())
            .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .getIdentity(GetIdentityRequest.getDefaultInstance());
    return Optional.of(
        new DriverIdentity(null, identity.getName(), identity.getVendorVersion(), identity.getManifestMap()));
  }

  @Override
  public void close() {
    List<LabSite> all = new ArrayList<>(sites.values());
    java.util.Collections.reverse(all);
    all.forEach(LabSite::close);
    deleteRecursively(root);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the lab's directory " + dir, e);
    }
  }
}
