package dev.replcert.layer1.support;

import dev.replcert.api.csi.v1.CapacityRange;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.api.k8s.GoDuration;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.PublishedVolume;
import dev.replcert.harness.volume.VolumeIo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One site's driver as a certification test uses it: the success paths as {@code must…} helpers
 * that assert (and register what they create for cleanup, newest first), and the raw stubs for
 * negative tests ({@link #stubs()}). Every call has the profile's rpc deadline; the latencies of
 * promote, demote and resync go into the test's evidence.
 */
public final class SiteDriver {

  private final DriverEndpoint endpoint;
  private final CertificationConfig config;
  private final ResourceTracker tracker;
  private final Evidence evidence;
  private final Duration rpc;

  public SiteDriver(
      DriverEndpoint endpoint, CertificationConfig config, ResourceTracker tracker, Evidence evidence) {
    this.endpoint = endpoint;
    this.config = config;
    this.tracker = tracker;
    this.evidence = evidence;
    this.rpc = config.timeoutProfile().of(TimeoutOperation.RPC);
  }

  public String site() {
    return endpoint.site();
  }

  /** Stubs with the rpc deadline, for calls whose failure the test asserts. */
  public Stubs stubs() {
    return new Stubs(endpoint, rpc);
  }

  /** The secrets every csi-addons request carries. */
  public Map<String, String> secrets() {
    return endpoint.secrets();
  }

  // ---------------------------------------------------------------- volumes

  /** Creates a volume of the configured size and mode; deleted at cleanup. Returns its id. */
  public String mustCreateVolume(String name) {
    CreateVolumeRequest request =
        CreateVolumeRequest.newBuilder()
            .setName(name)
            .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(volumeSize()))
            .addVolumeCapabilities(capability())
            .putAllSecrets(secrets())
            .build();
    String id = call("CreateVolume " + name, () -> stubs().controller().createVolume(request))
        .getVolume()
        .getVolumeId();
    tracker.track(
        "volume " + id + " on " + site(),
        () ->
            ignoringNotFound(
                () ->
                    stubs()
                        .controller()
                        .deleteVolume(
                            DeleteVolumeRequest.newBuilder()
                                .setVolumeId(id)
                                .putAllSecrets(secrets())
                                .build())));
    return id;
  }

  public long volumeSize() {
    return config.driver().volume().sizeBytes();
  }

  public boolean block() {
    return config.driver().volume().mode() == VolumeMode.BLOCK;
  }

  private VolumeCapability capability() {
    VolumeCapability.Builder builder =
        VolumeCapability.newBuilder()
            .setAccessMode(
                VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER));
    if (block()) {
      builder.setBlock(VolumeCapability.BlockVolume.getDefaultInstance());
    } else {
      builder.setMount(
          VolumeCapability.MountVolume.newBuilder().setFsType(config.driver().volume().fsType()));
    }
    return builder.build();
  }

  // ---------------------------------------------------------------- replication

  public static ReplicationSource source(String volumeId) {
    return ReplicationSource.newBuilder()
        .setVolume(ReplicationSource.VolumeSource.newBuilder().setVolumeId(volumeId))
        .build();
  }

  /** The parameters of the configured VolumeReplicationClass, with its scheduling interval. */
  public Map<String, String> replicationParameters() {
    Map<String, String> parameters = new LinkedHashMap<>(config.driver().replication().parameters());
    parameters.putIfAbsent(
        "schedulingInterval", GoDuration.format(config.driver().replication().schedulingInterval()));
    return parameters;
  }

  /** Enables replication of a volume from this site; disabled at cleanup. */
  public void mustEnable(ReplicationSource source) {
    call(
        "EnableVolumeReplication",
        () ->
            stubs()
                .replication()
                .enableVolumeReplication(
                    EnableVolumeReplicationRequest.newBuilder()
                        .setReplicationSource(source)
                        .putAllParameters(replicationParameters())
                        .putAllSecrets(secrets())
                        .build()));
    tracker.track(
        "replication of " + describe(source) + " on " + site(),
        () -> ignoringNotFound(() -> disable(source)));
  }

  public void disable(ReplicationSource source) {
    stubs()
        .replication()
        .disableVolumeReplication(
            DisableVolumeReplicationRequest.newBuilder()
                .setReplicationSource(source)
                .putAllParameters(replicationParameters())
                .putAllSecrets(secrets())
                .build());
  }

  public void mustPromote(ReplicationSource source, boolean force) {
    timed("promote", () -> stubs().replication().promoteVolume(promote(source, force)));
  }

  public PromoteVolumeRequest promote(ReplicationSource source, boolean force) {
    return PromoteVolumeRequest.newBuilder()
        .setReplicationSource(source)
        .setForce(force)
        .putAllParameters(replicationParameters())
        .putAllSecrets(secrets())
        .build();
  }

  /** Demotes with the profile's demote timeout as the deadline (a final sync may run). */
  public void mustDemote(ReplicationSource source) {
    Duration demote = config.timeoutProfile().of(TimeoutOperation.DEMOTE);
    timed(
        "demote",
        () ->
            new Stubs(endpoint, demote)
                .replication()
                .demoteVolume(
                    DemoteVolumeRequest.newBuilder()
                        .setReplicationSource(source)
                        .putAllParameters(replicationParameters())
                        .putAllSecrets(secrets())
                        .build()));
  }

  public ResyncVolumeRequest resync(ReplicationSource source, boolean force) {
    return ResyncVolumeRequest.newBuilder()
        .setReplicationSource(source)
        .setForce(force)
        .putAllParameters(replicationParameters())
        .putAllSecrets(secrets())
        .build();
  }

  public GetVolumeReplicationInfoResponse mustGetInfo(ReplicationSource source) {
    return call(
        "GetVolumeReplicationInfo " + describe(source),
        () -> stubs().replication().getVolumeReplicationInfo(infoRequest(source)));
  }

  public GetVolumeReplicationInfoRequest infoRequest(ReplicationSource source) {
    return GetVolumeReplicationInfoRequest.newBuilder()
        .setReplicationSource(source)
        .putAllSecrets(secrets())
        .build();
  }

  // ---------------------------------------------------------------- data path

  /**
   * Stages and publishes the volume on this site's node and opens its bytes; unpublished and
   * unstaged at cleanup (before the volume is deleted, since cleanup runs newest first).
   */
  public VolumeIo mustPublish(String volumeId, boolean readOnly) {
    Path base = tempDir(volumeId);
    Path staging = base.resolve("staging");
    Path target = base.resolve(block() ? "device" : "mount");
    call(
        "NodeStageVolume " + volumeId,
        () ->
            stubs()
                .node()
                .nodeStageVolume(
                    NodeStageVolumeRequest.newBuilder()
                        .setVolumeId(volumeId)
                        .setStagingTargetPath(staging.toString())
                        .setVolumeCapability(capability())
                        .putAllSecrets(secrets())
                        .build()));
    tracker.track(
        "staging of " + volumeId + " on " + site(),
        () ->
            ignoringNotFound(
                () ->
                    stubs()
                        .node()
                        .nodeUnstageVolume(
                            NodeUnstageVolumeRequest.newBuilder()
                                .setVolumeId(volumeId)
                                .setStagingTargetPath(staging.toString())
                                .build())));
    call(
        "NodePublishVolume " + volumeId,
        () ->
            stubs()
                .node()
                .nodePublishVolume(publishRequest(volumeId, staging, target, readOnly)));
    tracker.track(
        "publication of " + volumeId + " on " + site(),
        () ->
            ignoringNotFound(
                () ->
                    stubs()
                        .node()
                        .nodeUnpublishVolume(
                            NodeUnpublishVolumeRequest.newBuilder()
                                .setVolumeId(volumeId)
                                .setTargetPath(target.toString())
                                .build())));
    VolumeIo io = PublishedVolume.open(target, block(), volumeSize(), rpc);
    tracker.track("data path of " + volumeId + " on " + site(), io::close);
    return io;
  }

  public NodePublishVolumeRequest publishRequest(
      String volumeId, Path staging, Path target, boolean readOnly) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setStagingTargetPath(staging.toString())
        .setTargetPath(target.toString())
        .setVolumeCapability(capability())
        .setReadonly(readOnly)
        .putAllSecrets(secrets())
        .build();
  }

  /** A fresh directory for a volume's staging and target paths; removed at cleanup. */
  public Path tempDir(String volumeId) {
    try {
      Path dir = Files.createTempDirectory("rc-" + site() + "-");
      tracker.track("directory " + dir, () -> deleteTree(dir));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for " + volumeId, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          site() + ": " + what + " failed with " + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()),
          e);
    }
  }

  private void timed(String operation, Supplier<?> call) {
    long start = System.nanoTime();
    call(operation, call);
    evidence.measure(
        operation + ".latency." + site(), (System.nanoTime() - start) / 1e9, "s");
  }

  private static void ignoringNotFound(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  static String describe(ReplicationSource source) {
    return source.hasVolumegroup()
        ? "volume group " + source.getVolumegroup().getVolumeGroupId()
        : "volume " + source.getVolume().getVolumeId();
  }

  /** Blocking stubs with a deadline per call. */
  public record Stubs(DriverEndpoint endpoint, Duration deadline) {
    public dev.replcert.api.csi.v1.ControllerGrpc.ControllerBlockingStub controller() {
      return dev.replcert.api.csi.v1.ControllerGrpc.newBlockingStub(endpoint.csi())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public dev.replcert.api.csi.v1.NodeGrpc.NodeBlockingStub node() {
      return dev.replcert.api.csi.v1.NodeGrpc.newBlockingStub(endpoint.node())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public dev.replcert.api.csi.v1.IdentityGrpc.IdentityBlockingStub csiIdentity() {
      return dev.replcert.api.csi.v1.IdentityGrpc.newBlockingStub(endpoint.csi())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public dev.replcert.api.csiaddons.identity.IdentityGrpc.IdentityBlockingStub addonsIdentity() {
      return dev.replcert.api.csiaddons.identity.IdentityGrpc.newBlockingStub(endpoint.addons())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public dev.replcert.api.csiaddons.replication.ControllerGrpc.ControllerBlockingStub replication() {
      return dev.replcert.api.csiaddons.replication.ControllerGrpc.newBlockingStub(endpoint.addons())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public dev.replcert.api.csiaddons.fence.FenceControllerGrpc.FenceControllerBlockingStub fence() {
      return dev.replcert.api.csiaddons.fence.FenceControllerGrpc.newBlockingStub(endpoint.addons())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public dev.replcert.api.csiaddons.volumegroup.ControllerGrpc.ControllerBlockingStub volumeGroups() {
      return dev.replcert.api.csiaddons.volumegroup.ControllerGrpc.newBlockingStub(endpoint.addons())
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
