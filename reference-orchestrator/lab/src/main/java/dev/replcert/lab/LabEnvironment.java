package dev.replcert.lab;

import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityResponse;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.OrchestratorControl;
import dev.replcert.harness.spi.ReplicationControl;
import dev.replcert.harness.spi.ReplicationSchedule;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.lab.substrate.SiteSubstrate;
import dev.replcert.lab.substrate.csiaddons.ControllerTiming;
import dev.replcert.lab.substrate.csiaddons.CsiAddonsController;
import dev.replcert.lab.substrate.ocm.OcmHub;
import dev.replcert.lab.substrate.ocm.OcmTiming;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.refdriver.DriverOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code mode: lab}: three Kubernetes API servers ({@code hub}, {@code east}, {@code west}; fabric8
 * CRUD mock servers with the project's CRDs registered), one S3 per managed site, and the bundled
 * reference driver with two sites, east and west, replicating over a loopback TCP link. All of it
 * starts in parallel and lives under one temporary directory that is removed on close. On top run
 * the stand-ins for what real clusters get from other projects: per managed cluster a provisioner
 * and a kubelet ({@link SiteSubstrate}) and the csi-addons controller, and on the hub OCM's
 * ManifestWork and ManagedClusterView agents ({@link OcmHub}); and over all of it the bundled
 * orchestrator, Ramen's controllers on the hub and each managed cluster ({@link LabOrchestrator}).
 */
final class LabEnvironment implements Environment {

  static final List<String> SITES = List.of("east", "west");
  static final List<String> CLUSTERS = List.of("hub", "east", "west");
  static final int NODES_PER_SITE = 2;

  private static final Logger LOG = LoggerFactory.getLogger(LabEnvironment.class);

  private final Path root;
  private final LabSettings settings;
  private final CallLog log = new CallLog();
  private final Map<String, LabSite> sites = new LinkedHashMap<>();
  private final Map<String, LabApiServer> clusters = new LinkedHashMap<>();
  private final Map<String, LabS3Server> stores = new LinkedHashMap<>();
  // the hub's controllers (OCM), which no site disaster takes down; closed first, in reverse start order
  private final List<AutoCloseable> controllers = new ArrayList<>();
  // the controllers running in each managed cluster, which go down and come back with its site
  private final LabSiteControllers siteControllers = new LabSiteControllers(this::startSiteControllers);
  private final Map<String, DriverOptions> driverOptions = new LinkedHashMap<>();
  // the bundled orchestrator, unless the settings leave it out
  private Optional<LabOrchestrator> orchestrator = Optional.empty();
  private final TimeoutProfile timeouts;
  private final DisasterInjector disasters;
  private final ReplicationControl control;
  private final Duration rpcTimeout;
  private final Duration startup;

  LabEnvironment(CertificationConfig config, LabSettings settings) {
    this(config, settings, LabEnvironment.class.getClassLoader());
  }

  /**
   * A profile claiming {@code peer-fence} certifies that a fence reaches the peer's storage; a lab
   * whose driver fences one site only would fail those tests for a reason that is the lab's, so
   * it does not start.
   */
  static void requireFenceScopeForProfile(CertificationConfig config, LabSettings settings) {
    if (settings.fenceScope() == DriverOptions.FenceScope.SITE && config.capabilities().claims(Capability.PEER_FENCE)) {
      throw new IllegalArgumentException(LabSettings.FENCE_SCOPE + "=site runs the lab's driver with fences that reach"
          + " one site's storage only, but the capability profile claims " + Capability.PEER_FENCE.id()
          + ": use " + LabSettings.FENCE_SCOPE + "=mirror (the default) or claim " + Capability.PEER_FENCE.id()
          + ": false");
    }
  }

  /** With the CRD index read from {@code crdLoader} (tests). */
  LabEnvironment(CertificationConfig config, LabSettings settings, ClassLoader crdLoader) {
    long began = System.nanoTime();
    requireFenceScopeForProfile(config, settings);
    this.settings = settings;
    this.timeouts = config.timeoutProfile();
    this.rpcTimeout = timeouts.of(TimeoutOperation.RPC);
    // read beside the parts' start (parsing is a good part of a cold start); the API servers
    // wait for it before registering, and a listed but missing CRD fails the whole start
    CompletableFuture<LabCrds> crds =
        CompletableFuture.supplyAsync(() -> LabCrds.fromClasspath(crdLoader));
    try {
      // short: unix socket paths must stay under 108 bytes
      this.root = Files.createTempDirectory("replcert-lab");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lab's directory", e);
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    config.driver().secrets().forEach((k, v) -> secrets.put(k, v.reveal()));
    List<String> secretValues = new ArrayList<>(secrets.values());
    String timings;
    try {
      // everything that can fail before a part runs comes first: nothing is left running then
      List<InetSocketAddress> links = freeLoopbackAddresses(SITES.size());
      for (int i = 0; i < SITES.size(); i++) {
        String site = SITES.get(i);
        Path siteRoot = Files.createDirectories(root.resolve(site));
        driverOptions.put(
            site,
            new DriverOptions(
                site,
                siteRoot,
                siteRoot.resolve("csi.sock"),
                null,
                links.get(i),
                links.get((i + 1) % SITES.size()),
                settings.syncPeriod(),
                // two worker nodes, so fencing one node leaves another that keeps working
                dev.replcert.lab.substrate.LabNodes.of(site, NODES_PER_SITE),
                secrets,
                settings.defects(),
                settings.fenceScope()));
      }
      ParallelStart start = new ParallelStart();
      Map<String, Supplier<LabApiServer>> apiServers = new LinkedHashMap<>();
      for (String cluster : CLUSTERS) {
        apiServers.put(cluster, start.add("API server " + cluster, () -> startCluster(cluster, crds)));
      }
      Map<String, Supplier<LabS3Server>> s3 = new LinkedHashMap<>();
      for (String site : SITES) {
        Path store = root.resolve("s3").resolve(site);
        s3.put(site, start.add("S3 of " + site, () -> LabS3Server.start(site, store)));
      }
      Map<String, Supplier<LabSite>> driverSites = new LinkedHashMap<>();
      driverOptions.forEach(
          (site, options) ->
              driverSites.put(
                  site, start.add("driver site " + site, () -> startSite(options, secretValues))));
      try {
        start.await();
      } catch (IllegalStateException e) {
        throw crds.isCompletedExceptionally() ? crdFailure(crds, e) : e;
      }
      timings = start.timings();
      apiServers.forEach((name, server) -> clusters.put(name, server.get()));
      s3.forEach((name, server) -> stores.put(name, server.get()));
      driverSites.forEach((name, site) -> sites.put(name, site.get()));
      if (settings.substrate()) {
        startControllers();
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    this.disasters =
        new LabDisasterInjector(
            sites,
            clusters,
            stores,
            settings.substrate() ? siteControllers : SiteControllers.NONE,
            rpcTimeout);
    this.control = new LabReplicationControl(sites, rpcTimeout);
    this.startup = Duration.ofNanos(System.nanoTime() - began);
    LOG.info(
        "lab started in {} ms ({}): API servers {}, S3 {}, driver sites {}",
        startup.toMillis(),
        timings,
        describe(clusters, LabApiServer::url),
        describe(stores, s -> "http://127.0.0.1:" + s.port()),
        sites.keySet());
  }

  /**
   * The substrate a real cluster gets from other projects (external-provisioner, kubelet,
   * kubernetes-csi-addons, OCM), started once the clusters and driver sites answer.
   */
  private void startControllers() {
    if (settings.orchestrator()) {
      installRamenConfig();
      // stopped until OCM runs: each site's controllers report the site up to it as they start
      orchestrator = Optional.of(new LabOrchestrator(clusters.get("hub").client(), site -> clusters.get(site).client()));
    }
    SITES.forEach(siteControllers::start);
    Map<String, KubernetesClient> managed = new LinkedHashMap<>();
    SITES.forEach(site -> managed.put(site, clusters.get(site).client()));
    OcmHub ocm = new OcmHub(clusters.get("hub").client(), managed, OcmTiming.lab());
    controllers.add(ocm);
    ocm.start();
    orchestrator.ifPresent(
        o -> {
          controllers.add(o);
          o.start();
        });
  }

  /** Ramen's namespace, operator ConfigMaps and S3 Secrets, as an installation leaves them. */
  private void installRamenConfig() {
    List<S3Profile> profiles = stores.values().stream().map(LabS3Server::profile).toList();
    // Written once into fresh API servers that die with the lab: nothing to clean up.
    ResourceTracker once = new ResourceTracker("the lab's Ramen installation");
    RamenOperatorConfig.write(
        "hub", clusters.get("hub").client(), RamenOperatorConfig.HUB_CONFIG_MAP, profiles, once);
    SITES.forEach(
        site ->
            RamenOperatorConfig.write(
                site, clusters.get(site).client(), S3Profiles.RAMEN_CONFIG_MAP, profiles, once));
    once.abandon();
  }

  /**
   * A managed cluster's own controllers, on its API server and driver site: the provisioner and
   * kubelet ({@link SiteSubstrate}), the csi-addons controller and, while the orchestrator runs,
   * Ramen's DR-cluster controllers. Started with the lab, and again when the site comes back from a
   * disaster.
   */
  private List<AutoCloseable> startSiteControllers(String site) {
    LabApiServer cluster = clusters.get(site);
    DriverOptions options = driverOptions.get(site);
    SiteSubstrate substrate =
        SiteSubstrate.start(
            cluster.client(), site, options.socket(), options.nodes(), timeouts, cluster.podLogs());
    try {
      CsiAddonsController addons =
          new CsiAddonsController(
                  cluster.client(), sites.get(site).endpoint().addons(), DriverOptions.DRIVER_NAME, ControllerTiming.lab(), rpcTimeout)
              .start();
      try {
        List<AutoCloseable> started = new ArrayList<>(List.of(substrate, addons));
        orchestrator.ifPresent(o -> started.add(o.siteUp(site)));
        return started;
      } catch (RuntimeException e) {
        addons.close();
        throw e;
      }
    } catch (RuntimeException e) {
      substrate.close();
      throw e;
    }
  }

  /** The site answers CSI Probe, or the lab fails to start within the rpc timeout. */
  private LabSite startSite(DriverOptions options, List<String> secretValues) {
    LabSite site = new LabSite(options, log, new Redactor(secretValues));
    try {
      site.awaitAnswering(rpcTimeout);
      return site;
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
  }

  /** The CRD failure itself, once, rather than each API server's report of it. */
  private static RuntimeException crdFailure(CompletableFuture<LabCrds> crds, RuntimeException start) {
    try {
      crds.join();
      return start;
    } catch (CompletionException e) {
      RuntimeException cause =
          e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      cause.addSuppressed(start);
      return cause;
    }
  }

  private static LabApiServer startCluster(String name, CompletableFuture<LabCrds> crds) {
    LabApiServer server = LabApiServer.start(name);
    try {
      crds.join().registerIn(server.client());
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException(
          "cannot register the CRDs in lab cluster " + name + ": " + e.getMessage(), e);
    }
  }

  private static <T> String describe(Map<String, T> parts, Function<T, String> where) {
    StringBuilder text = new StringBuilder();
    parts.forEach((name, part) -> text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(where.apply(part)));
    return text.toString();
  }

  /** How long the constructor took, from reading the CRDs to both driver sites answering. */
  Duration startup() {
    return startup;
  }

  // Replication link ports are chosen below Linux's ephemeral range (32768-60999): a port-0 bind or
  // an outgoing connection of the lab's own clients (API servers, S3, controllers) can take any
  // ephemeral port between our check and the driver's bind, but never one of these.
  private static final int LINK_PORT_FROM = 20000;
  private static final int LINK_PORT_TO = 32000;

  private static List<InetSocketAddress> freeLoopbackAddresses(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<InetSocketAddress> addresses = new ArrayList<>();
      java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
      for (int attempt = 0; addresses.size() < count; attempt++) {
        if (attempt > 1000) {
          throw new IOException(
              "no free loopback port for the replication link in " + LINK_PORT_FROM + "-" + LINK_PORT_TO);
        }
        int port = random.nextInt(LINK_PORT_FROM, LINK_PORT_TO);
        // without SO_REUSEADDR: the bind also fails on a port another lab holds while its site is
        // down (PortHold), even one held over connections in TIME_WAIT
        ServerSocket socket = new ServerSocket();
        try {
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
          held.add(socket);
          addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (java.net.BindException taken) {
          socket.close(); // in use by another lab or process: try another
        }
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
    if (type == KubernetesClient.class) {
      return site.map(clusters::get).map(c -> type.cast(c.client()));
    }
    if (type == S3Client.class) {
      return site.map(stores::get).map(s -> type.cast(s.client()));
    }
    if (type == S3Profile.class) {
      return site.map(stores::get).map(s -> type.cast(s.profile()));
    }
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
    if (type == OrchestratorControl.class) {
      return orchestrator.map(type::cast);
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

  /**
   * Stops S3, the API servers and the driver sites, then removes the lab's directory. Every part
   * is stopped even if another fails; the first failure is thrown at the end.
   */
  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(controllers);
    Collections.reverse(all);
    all.add(siteControllers);
    all.addAll(stores.values());
    all.addAll(clusters.values());
    List<LabSite> driverSites = new ArrayList<>(sites.values());
    Collections.reverse(driverSites);
    all.addAll(driverSites);
    RuntimeException failure = null;
    for (AutoCloseable part : all) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", part, e);
        failure = failure == null ? new IllegalStateException("the lab did not stop cleanly", e) : failure;
      }
    }
    controllers.clear();
    stores.clear();
    clusters.clear();
    sites.clear();
    deleteRecursively(root);
    if (failure != null) {
      throw failure;
    }
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
