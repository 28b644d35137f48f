package dev.replcert.lab.substrate;

import static org.awaitility.Awaitility.await;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.mockapi.FinalizedDeleteDispatcher;
import dev.replcert.mockapi.WatchCloseDispatcher;
import dev.replcert.lab.substrate.kubelet.PodLogDispatcher;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.DriverOptions.NodeSpec;
import dev.replcert.refdriver.server.DriverSite;
import dev.replcert.refdriver.site.VolumeInfo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;

/**
 * One managed cluster of the lab for the substrate's tests: a reference driver site (east, two
 * nodes), its own CRUD mock API server answering pod logs from the kubelet, and the site's
 * substrate on both; plus the StorageClasses and namespace the tests use.
 */
final class SubstrateFixture implements AutoCloseable {

  static final String NS = "app";
  static final String DELETE_CLASS = "refdriver";
  static final String RETAIN_CLASS = "refdriver-retain";
  static final TimeoutProfile TIMEOUTS =
      TimeoutProfile.named(TimeoutProfile.LAB)
          .withOverrides(Map.of(TimeoutOperation.POLL, Duration.ofMillis(50)));
  static final List<NodeSpec> NODES = LabNodes.of("east", 2);

  /**
   * The mock logs every request at INFO through java.util.logging; held, as JUL keeps loggers
   * weakly.
   */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  final Path root;
  final DriverSite site;
  final PodLogDispatcher dispatcher = new PodLogDispatcher(new KubernetesCrudDispatcher());
  final KubernetesMockServer server;
  final KubernetesClient client;
  SiteSubstrate substrate;

  SubstrateFixture() {
    try {
      // short: unix socket paths must stay under 108 bytes
      root = Files.createTempDirectory("rsub");
      site =
          DriverSite.start(
              new DriverOptions(
                  "east",
                  root,
                  root.resolve("csi.sock"),
                  null,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  null,
                  Duration.ofSeconds(1),
                  NODES,
                  Map.of(),
                  Set.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new WatchCloseDispatcher(new FinalizedDeleteDispatcher(dispatcher), "east"), false);
    server.init();
    client = server.createClient();
    substrate = SiteSubstrate.start(client, "east", site.socket(), NODES, TIMEOUTS, dispatcher);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    storageClass(DELETE_CLASS, "Delete");
    storageClass(RETAIN_CLASS, "Retain");
  }

  private void storageClass(String name, String reclaimPolicy) {
    client
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withProvisioner(DriverOptions.DRIVER_NAME)
                .withReclaimPolicy(reclaimPolicy)
                .withVolumeBindingMode("Immediate")
                .build())
        .create();
  }

  PersistentVolumeClaim claim(String name, String storageClass, String volumeMode, String size) {
    return client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName(storageClass)
                .withVolumeMode(volumeMode)
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity(size))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  PersistentVolumeClaim pvc(String name) {
    return client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
  }

  /** Stops the substrate's controllers; {@link #startSubstrate} starts new ones (a restart). */
  void stopSubstrate() {
    substrate.close();
  }

  void startSubstrate() {
    substrate = SiteSubstrate.start(client, "east", site.socket(), NODES, TIMEOUTS, dispatcher);
  }

  /** The claim once Bound, within the volumeProvision limit. */
  PersistentVolumeClaim awaitBound(String name) {
    return wait("PVC " + NS + "/" + name + " Bound", TimeoutOperation.VOLUME_PROVISION)
        .until(
            () -> pvc(name),
            c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
  }

  /** The driver's own view of a volume (empty once deleted). */
  Optional<VolumeInfo> driverVolume(String volumeId) {
    return site.site().listVolumes().stream()
        .filter(v -> v.volumeId().equals(volumeId))
        .findFirst();
  }

  ConditionFactory wait(String what, TimeoutOperation limit) {
    return await(what).atMost(TIMEOUTS.of(limit)).pollInterval(TIMEOUTS.of(TimeoutOperation.POLL));
  }

  @Override
  public void close() {
    try {
      substrate.close();
      client.close();
      server.destroy();
    } finally {
      site.close();
      deleteRecursively(root);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
