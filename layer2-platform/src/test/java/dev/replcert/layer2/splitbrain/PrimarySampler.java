package dev.replcert.layer2.splitbrain;

import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.layer2.fixture.ClusterState;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.ManagedSite;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Samples, every {@link #EVERY}, each protected claim on both clusters: the VR's status.state and
 * what the driver itself says of the volume behind it, tagged with the phase of the scenario the
 * test says it is in, and (while the test names them) what the source's writers acknowledged, so a
 * promote seen on the target can be set against the writes the source accepted by then. GetVolumeReplicationInfo answers only for a
 * primary (FAILED_PRECONDITION otherwise; csi-addons polls it for primaries only), so an answer is
 * the driver's "primary, writable"; a site that does not answer counts as not writable. The volume
 * of a claim is known by the PV it is bound to on that cluster, or (a secondary without a claim)
 * by the destination handle the peer's VR reports; handles once seen are kept.
 */
public final class PrimarySampler implements AutoCloseable {

  /** Within the plan's 2 s: a both-primary window is measured to half a second. */
  static final Duration EVERY = Duration.ofMillis(500);

  /**
   * One observation of one claim on both sites; {@code sourceAcked} is the last record the watched
   * writer had acknowledged, read right after the driver roles (null when no writer is watched).
   */
  public record Sample(Instant at, String phase, String claim, Map<String, String> vrState,
      Map<String, String> driverRole, Long sourceAcked) {
    public boolean twoWritablePrimaries() {
      return driverRole.values().stream().filter("primary"::equals).count() > 1;
    }

    public boolean primary(String site) {
      return "primary".equals(driverRole.get(site));
    }

    public String line() {
      return at + " [" + phase + "] " + claim + " VR " + vrState + " driver " + driverRole
          + (sourceAcked == null ? "" : " source acked #" + sourceAcked);
    }
  }

  private final DrFixture dr;
  private final List<String> claims;
  private final Map<String, DriverEndpoint> drivers = new LinkedHashMap<>();
  private final Map<String, ClusterState> states = new LinkedHashMap<>();
  private final Map<String, String> handles = new ConcurrentHashMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private volatile String phase = "start";
  private volatile Map<String, WriterHandle> source = Map.of();

  public PrimarySampler(DrFixture dr, Environment environment, String vrg, List<String> claims) {
    this.dr = dr;
    this.claims = claims;
    for (ManagedSite site : dr.sites()) {
      Optional<DriverEndpoint> driver = environment.client(DriverEndpoint.class, Optional.of(site.name()));
      Assumptions.assumeTrue(driver.isPresent(), "environment '" + environment.name()
          + "' gives no driver endpoint for " + site.name() + ": the split-brain sampler asks the driver itself");
      drivers.put(site.name(), driver.get());
      states.put(site.name(), new ClusterState(dr, site, vrg));
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "replcert-primary-sampler");
      t.setDaemon(true);
      return t;
    });
    dr.hub().onCleanup("stop the primary sampler", this::close);
    timer.scheduleWithFixedDelay(this::sampleAll, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sampleAll() {
    for (String claim : claims) {
      learnHandles(claim);
      String now = phase;
      Map<String, String> vr = new LinkedHashMap<>();
      Map<String, String> role = new LinkedHashMap<>();
      for (String site : drivers.keySet()) {
        vr.put(site, vrState(site, claim));
        role.put(site, role(site, handles.get(site + "/" + claim)));
      }
      WriterHandle writer = source.get(claim);
      Long acked = writer == null ? null : writer.progress().lastAcked();
      synchronized (this) {
        samples.add(new Sample(Instant.now(), now, claim, vr, role, acked));
      }
    }
  }

  private void learnHandles(String claim) {
    for (Map.Entry<String, ClusterState> e : states.entrySet()) {
      try {
        PersistentVolume pv = e.getValue().pv(claim);
        if (pv != null && pv.getSpec().getCsi() != null) {
          handles.put(e.getKey() + "/" + claim, pv.getSpec().getCsi().getVolumeHandle());
        }
        VolumeReplication vr = e.getValue().vr(claim);
        String peer = e.getKey().equals("east") ? "west" : "east";
        if (vr != null && vr.getStatus() != null && vr.getStatus().getDestinationVolumeID() != null
            && !vr.getStatus().getDestinationVolumeID().isEmpty()) {
          handles.putIfAbsent(peer + "/" + claim, vr.getStatus().getDestinationVolumeID());
        }
      } catch (RuntimeException unreachable) {
        // a cluster that does not answer teaches nothing this time
      }
    }
  }

  private String vrState(String site, String claim) {
    try {
      VolumeReplication vr = states.get(site).vr(claim);
      return vr == null ? "absent" : vr.getStatus() == null ? "no status" : vr.getStatus().getState();
    } catch (RuntimeException e) {
      return "unreachable";
    }
  }

  private String role(String site, String handle) {
    if (handle == null) {
      return "unknown volume";
    }
    DriverEndpoint driver = drivers.get(site);
    try {
      ControllerGrpc.newBlockingStub(driver.addons()).withDeadlineAfter(5, TimeUnit.SECONDS)
          .getVolumeReplicationInfo(GetVolumeReplicationInfoRequest.newBuilder()
              .setReplicationSource(ReplicationSource.newBuilder()
                  .setVolume(ReplicationSource.VolumeSource.newBuilder().setVolumeId(handle)))
              .putAllSecrets(driver.secrets()).build());
      return "primary";
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      return code == Status.Code.FAILED_PRECONDITION ? "not primary"
          : code == Status.Code.NOT_FOUND ? "no such volume" : "unreachable (" + code + ")";
    }
  }

  /** Tags the samples from now on with the scenario's phase. */
  public void phase(String name) {
    phase = name;
  }

  /** From now on each sample carries what this writer of its claim acknowledged (none: stop). */
  void watchSource(Map<String, WriterHandle> writers) {
    source = Map.copyOf(writers);
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** One claim's samples of one phase, in order. */
  public synchronized List<Sample> samples(String phase, String claim) {
    return samples.stream().filter(s -> s.phase().equals(phase) && s.claim().equals(claim)).toList();
  }

  /** Every sample, outside the phases given, where both clusters' drivers said primary. */
  synchronized List<Sample> twoPrimariesOutside(String... phases) {
    List<String> excepted = List.of(phases);
    return samples.stream().filter(s -> !excepted.contains(s.phase())).filter(Sample::twoWritablePrimaries)
        .toList();
  }

  /** Samples where a site's driver said primary, by site. */
  synchronized long primarySamples(String site) {
    return samples.stream().filter(s -> "primary".equals(s.driverRole().get(site))).count();
  }

  public synchronized String timeline() {
    StringBuilder text = new StringBuilder("handles " + handles + "\n");
    samples.forEach(s -> text.append(s.line()).append('\n'));
    return text.toString();
  }

  /** Stops sampling (after one last sample) and attaches the timeline. */
  public void finish(String name) {
    close();
    sampleAll();
    dr.evidence().attach(name, timeline());
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
