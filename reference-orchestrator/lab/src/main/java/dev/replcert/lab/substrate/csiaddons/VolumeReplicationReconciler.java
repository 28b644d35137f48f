package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.api.k8s.CsiAddons.Reason;
import dev.replcert.api.k8s.CsiAddons.VolumeState;
import dev.replcert.api.k8s.GoDuration;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * VolumeReplication → csi-addons replication.Controller, with csi-addons' state mapping
 * (volumereplication_controller.go, {@code reference/csi.md} §4): primary = Enable + Promote (force
 * only after FAILED_PRECONDITION), then GetVolumeReplicationInfo polling; secondary = Demote,
 * requeue, then Demote + Resync(force=autoResync) until ready; resync = Resync(force); delete =
 * Disable, then the finalizers go. A primary also asks GetReplicationDestinationInfo when the
 * driver advertises it ({@link DestinationInfo}).
 */
final class VolumeReplicationReconciler {

  static final String PVC_KIND = "PersistentVolumeClaim";
  static final String VGR_KIND = "VolumeGroupReplication";

  private final KubernetesClient client;
  private final ControllerGrpc.ControllerBlockingStub replication;
  private final String driverName;
  private final ControllerTiming timing;
  private final Duration rpcTimeout;
  private final DestinationInfo destinations;

  VolumeReplicationReconciler(
      KubernetesClient client,
      Channel channel,
      String driverName,
      ControllerTiming timing,
      Duration rpcTimeout,
      DestinationInfo destinations) {
    this.client = client;
    this.destinations = destinations;
    this.replication = ControllerGrpc.newBlockingStub(channel);
    this.driverName = driverName;
    this.timing = timing;
    this.rpcTimeout = rpcTimeout;
  }

  private ControllerGrpc.ControllerBlockingStub stub() {
    return replication.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The source of the replication RPCs, with the PVC it came from (null for a group) or the group's
   * VolumeGroupReplicationContent (null for a volume).
   */
  private record Source(ReplicationSource rpc, PersistentVolumeClaim pvc, String content) {}

  /** A failure that the status reports; the reconcile is retried. */
  private static final class Failed extends RuntimeException {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  Optional<Duration> reconcile(String key) {
    String[] parts = key.split("/", 2);
    VolumeReplication vr =
        client.resources(VolumeReplication.class).inNamespace(parts[0]).withName(parts[1]).get();
    if (vr == null) {
      return Optional.empty();
    }
    boolean group = VGR_KIND.equals(vr.getSpec().getDataSource().getKind());
    VolumeReplicationStatus status = copyStatus(vr);
    long generation = generation(vr);
    ReplicationConditions conditions =
        new ReplicationConditions(status.getConditions(), generation, group);
    ReplicationState desired = vr.getSpec().getReplicationState();
    boolean deleting = vr.getMetadata().getDeletionTimestamp() != null;

    ClassParameters parameters;
    Map<String, String> secrets;
    Source source;
    try {
      VolumeReplicationClass vrc =
          client
              .resources(VolumeReplicationClass.class)
              .withName(vr.getSpec().getVolumeReplicationClass())
              .get();
      if (vrc == null) {
        throw new Failed(
            "failed to get volumeReplication class:"
                + " volumereplicationclasses.replication.storage.openshift.io \""
                + vr.getSpec().getVolumeReplicationClass()
                + "\" not found");
      }
      if (!driverName.equals(vrc.getSpec().getProvisioner())) {
        throw new Failed("no connections for driver: " + vrc.getSpec().getProvisioner());
      }
      try {
        parameters = ClassParameters.replication(vrc.getSpec().getParameters(), group);
      } catch (IllegalArgumentException e) {
        if (deleting) {
          removeFinalizers(vr, null);
          return Optional.empty();
        }
        conditions.prerequisiteNotMet(failedReason(desired), e.getMessage());
        writeStatus(
            vr,
            status,
            currentState(status),
            "failed to validate parameters of volumeReplicationClass: " + e.getMessage(),
            generation);
        return Optional.of(timing.errorRequeue());
      }
      secrets = parameters.secrets(client);
      source = source(vr, group, deleting);
    } catch (Failed | IllegalStateException e) {
      if (deleting) {
        // nothing reachable to disable: the finalizers must not block the deletion forever
        removeFinalizers(vr, null);
        return Optional.empty();
      }
      failure(conditions, desired, e.getMessage());
      writeStatus(vr, status, currentState(status), e.getMessage(), generation);
      return Optional.of(timing.errorRequeue());
    }

    if (deleting) {
      if (vr.getMetadata().getFinalizers().contains(CsiAddons.VR_FINALIZER)) {
        try {
          stub()
              .disableVolumeReplication(
                  DisableVolumeReplicationRequest.newBuilder()
                      .setReplicationSource(source.rpc())
                      .putAllParameters(parameters.driverParameters())
                      .putAllSecrets(secrets)
                      .setReplicationId(handle(vr))
                      .build());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
            writeStatus(vr, status, currentState(status), message(e), generation);
            return Optional.of(timing.errorRequeue());
          }
        }
      }
      removeFinalizers(vr, source.pvc());
      return Optional.empty();
    }

    addFinalizers(vr, source.pvc());
    Duration interval = schedulingInterval(parameters);
    Ops ops = new Ops(source.rpc(), parameters.driverParameters(), secrets, handle(vr));
    try {
      switch (desired) {
        case PRIMARY -> {
          if (!VolumeState.PRIMARY.wire().equals(status.getState())) {
            status.setLastStartTime(now());
            try {
              ops.enable();
            } catch (StatusRuntimeException e) {
              if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                conditions.prerequisiteNotMet(Reason.FAILED_TO_PROMOTE, message(e));
              } else {
                conditions.promoteFailed(message(e));
              }
              throw e;
            }
            try {
              ops.promote(false);
            } catch (StatusRuntimeException e) {
              if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                conditions.promoteFailed(message(e));
                throw e;
              }
              try {
                ops.promote(true);
              } catch (StatusRuntimeException forced) {
                conditions.promoteFailed(message(forced));
                throw forced;
              }
            }
            conditions.promoted();
            status.setLastCompletionTime(now());
          }
          pollInfo(ops, status, conditions);
          boolean pending =
              destinations.update(source.rpc(), secrets, status, conditions, source.content());
          writeStatus(
              vr, status, VolumeState.PRIMARY.wire(), "volume is marked primary", generation);
          // a destination not there yet is asked for again as soon as an error would be
          return Optional.of(pending ? timing.errorRequeue() : timing.infoPoll(interval));
        }
        case SECONDARY -> {
          conditions.notReplicatingAsSecondary();
          status.setDestinationVolumeID(null);
          if (!VolumeState.SECONDARY.wire().equals(status.getState())) {
            status.setLastStartTime(now());
            demote(ops, conditions);
            writeStatus(
                vr,
                status,
                VolumeState.SECONDARY.wire(),
                "volume is marked secondary and is degraded",
                generation);
            return Optional.of(timing.demoteRequeue());
          }
          demote(ops, conditions);
          boolean force = Boolean.TRUE.equals(vr.getSpec().getAutoResync());
          return resync(
              vr, status, conditions, ops, force, "volume is marked secondary", generation);
        }
        case RESYNC -> {
          conditions.notReplicatingAsSecondary();
          status.setDestinationVolumeID(null);
          return resync(
              vr, status, conditions, ops, true, "volume is marked for resyncing", generation);
        }
        default -> throw new IllegalStateException("unknown replicationState " + desired);
      }
    } catch (StatusRuntimeException e) {
      writeStatus(vr, status, currentState(status), message(e), generation);
      return Optional.of(timing.errorRequeue());
    }
  }

  private void demote(Ops ops, ReplicationConditions conditions) {
    try {
      ops.demote();
    } catch (StatusRuntimeException e) {
      conditions.demoteFailed(message(e));
      throw e;
    }
    conditions.demoted();
  }

  private Optional<Duration> resync(
      VolumeReplication vr,
      VolumeReplicationStatus status,
      ReplicationConditions conditions,
      Ops ops,
      boolean force,
      String doneMessage,
      long generation) {
    boolean ready;
    try {
      ready = ops.resync(force);
    } catch (StatusRuntimeException e) {
      conditions.resyncFailed(message(e));
      throw e;
    }
    if (!ready) {
      conditions.resyncTriggered();
      writeStatus(vr, status, VolumeState.SECONDARY.wire(), "volume is degraded", generation);
      return Optional.of(timing.resyncRequeue());
    }
    conditions.resyncReady();
    status.setLastCompletionTime(now());
    writeStatus(vr, status, VolumeState.SECONDARY.wire(), doneMessage, generation);
    return Optional.empty();
  }

  /** GetVolumeReplicationInfo into lastSync* and Replicating; NOT_FOUND/UNIMPLEMENTED ignored. */
  private void pollInfo(Ops ops, VolumeReplicationStatus status, ReplicationConditions conditions) {
    GetVolumeReplicationInfoResponse info;
    try {
      info = ops.info();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code != Status.Code.NOT_FOUND && code != Status.Code.UNIMPLEMENTED) {
        conditions.replicating(null, message(e));
      }
      return;
    }
    if (info.hasLastSyncTime()) {
      status.setLastSyncTime(
          ZonedDateTime.ofInstant(
              Instant.ofEpochSecond(
                  info.getLastSyncTime().getSeconds(), info.getLastSyncTime().getNanos()),
              ZoneOffset.UTC));
    }
    if (info.hasLastSyncDuration()) {
      status.setLastSyncDuration(
          GoDuration.format(
              Duration.ofSeconds(
                  info.getLastSyncDuration().getSeconds(), info.getLastSyncDuration().getNanos())));
    }
    status.setLastSyncBytes(info.getLastSyncBytes());
    conditions.replicating(info.getStatus().name(), info.getStatusMessage());
  }

  private Source source(VolumeReplication vr, boolean group, boolean deleting) {
    String namespace = vr.getMetadata().getNamespace();
    String name = vr.getSpec().getDataSource().getName();
    if (group) {
      VolumeGroupReplication vgr =
          client
              .resources(VolumeGroupReplication.class)
              .inNamespace(namespace)
              .withName(name)
              .get();
      if (vgr == null) {
        throw new Failed(
            "volumegroupreplications.replication.storage.openshift.io \"" + name + "\" not found");
      }
      String contentName = vgr.getSpec().getVolumeGroupReplicationContentName();
      VolumeGroupReplicationContent content =
          contentName == null
              ? null
              : client.resources(VolumeGroupReplicationContent.class).withName(contentName).get();
      if (content == null || content.getSpec().getVolumeGroupReplicationHandle() == null) {
        throw new Failed("volume group of " + name + " is not created yet");
      }
      return new Source(
          ReplicationSource.newBuilder()
              .setVolumegroup(
                  ReplicationSource.VolumeGroupSource.newBuilder()
                      .setVolumeGroupId(content.getSpec().getVolumeGroupReplicationHandle()))
              .build(),
          null,
          contentName);
    }
    if (!PVC_KIND.equals(vr.getSpec().getDataSource().getKind())) {
      throw new Failed("unsupported datasource kind " + vr.getSpec().getDataSource().getKind());
    }
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    if (pvc == null) {
      throw new Failed("failed to get PVC: persistentvolumeclaims \"" + name + "\" not found");
    }
    if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
      throw new Failed("PVC \"" + name + "\" is not bound to any PV");
    }
    PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    if (pv == null || pv.getSpec().getCsi() == null) {
      throw new Failed(
          "PV \""
              + pvc.getSpec().getVolumeName()
              + "\" of PVC \""
              + name
              + "\" is not a CSI volume");
    }
    String owner =
        pvc.getMetadata().getAnnotations() == null
            ? null
            : pvc.getMetadata().getAnnotations().get(CsiAddons.VOLUME_REPLICATION_NAME_ANNOTATION);
    if (owner != null && !owner.equals(vr.getMetadata().getName()) && !deleting) {
      throw new Failed(
          "PVC \"" + name + "\" is already owned by VolumeReplication \"" + owner + "\"");
    }
    return new Source(
        ReplicationSource.newBuilder()
            .setVolume(
                ReplicationSource.VolumeSource.newBuilder()
                    .setVolumeId(pv.getSpec().getCsi().getVolumeHandle()))
            .build(),
        pvc,
        null);
  }

  private void addFinalizers(VolumeReplication vr, PersistentVolumeClaim pvc) {
    if (!vr.getMetadata().getFinalizers().contains(CsiAddons.VR_FINALIZER)) {
      vrs(vr)
          .edit(
              v -> {
                if (!v.getMetadata().getFinalizers().contains(CsiAddons.VR_FINALIZER)) {
                  v.getMetadata().getFinalizers().add(CsiAddons.VR_FINALIZER);
                }
                return v;
              });
    }
    if (pvc != null) {
      String vrName = vr.getMetadata().getName();
      boolean annotated =
          pvc.getMetadata().getAnnotations() != null
              && vrName.equals(
                  pvc.getMetadata()
                      .getAnnotations()
                      .get(CsiAddons.VOLUME_REPLICATION_NAME_ANNOTATION));
      if (!annotated
          || !pvc.getMetadata().getFinalizers().contains(CsiAddons.PVC_PROTECTION_FINALIZER)) {
        client
            .persistentVolumeClaims()
            .inNamespace(pvc.getMetadata().getNamespace())
            .withName(pvc.getMetadata().getName())
            .edit(
                p -> {
                  p.getMetadata()
                      .getAnnotations()
                      .put(CsiAddons.VOLUME_REPLICATION_NAME_ANNOTATION, vrName);
                  if (!p.getMetadata()
                      .getFinalizers()
                      .contains(CsiAddons.PVC_PROTECTION_FINALIZER)) {
                    p.getMetadata().getFinalizers().add(CsiAddons.PVC_PROTECTION_FINALIZER);
                  }
                  return p;
                });
      }
    }
  }

  private void removeFinalizers(VolumeReplication vr, PersistentVolumeClaim pvc) {
    if (pvc != null) {
      client
          .persistentVolumeClaims()
          .inNamespace(pvc.getMetadata().getNamespace())
          .withName(pvc.getMetadata().getName())
          .edit(
              p -> {
                p.getMetadata().getFinalizers().remove(CsiAddons.PVC_PROTECTION_FINALIZER);
                p.getMetadata()
                    .getAnnotations()
                    .remove(CsiAddons.VOLUME_REPLICATION_NAME_ANNOTATION);
                return p;
              });
    }
    if (vr.getMetadata().getFinalizers().contains(CsiAddons.VR_FINALIZER)) {
      vrs(vr)
          .edit(
              v -> {
                v.getMetadata().getFinalizers().remove(CsiAddons.VR_FINALIZER);
                return v;
              });
    }
  }

  private void writeStatus(
      VolumeReplication vr,
      VolumeReplicationStatus status,
      String state,
      String message,
      long generation) {
    status.setState(state);
    status.setMessage(message);
    status.setObservedGeneration(generation);
    VolumeReplication fresh =
        client
            .resources(VolumeReplication.class)
            .inNamespace(vr.getMetadata().getNamespace())
            .withName(vr.getMetadata().getName())
            .get();
    if (fresh == null) {
      return;
    }
    fresh.setStatus(status);
    client.resource(fresh).updateStatus();
  }

  private io.fabric8.kubernetes.client.dsl.Resource<VolumeReplication> vrs(VolumeReplication vr) {
    return client
        .resources(VolumeReplication.class)
        .inNamespace(vr.getMetadata().getNamespace())
        .withName(vr.getMetadata().getName());
  }

  private static void failure(
      ReplicationConditions conditions, ReplicationState desired, String message) {
    switch (desired) {
      case PRIMARY -> conditions.promoteFailed(message);
      case SECONDARY -> conditions.demoteFailed(message);
      case RESYNC -> conditions.resyncFailed(message);
    }
  }

  private static Reason failedReason(ReplicationState desired) {
    return switch (desired) {
      case PRIMARY -> Reason.FAILED_TO_PROMOTE;
      case SECONDARY -> Reason.FAILED_TO_DEMOTE;
      case RESYNC -> Reason.FAILED_TO_RESYNC;
    };
  }

  /** Errors keep the state (Unknown when there was none). */
  private static String currentState(VolumeReplicationStatus status) {
    return status.getState() == null || status.getState().isEmpty()
        ? VolumeState.UNKNOWN.wire()
        : status.getState();
  }

  private static VolumeReplicationStatus copyStatus(VolumeReplication vr) {
    VolumeReplicationStatus status =
        vr.getStatus() == null ? new VolumeReplicationStatus() : vr.getStatus();
    status.setConditions(
        status.getConditions() == null
            ? new ArrayList<>()
            : new ArrayList<Condition>(status.getConditions()));
    return status;
  }

  private static long generation(VolumeReplication vr) {
    Long g = vr.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static String handle(VolumeReplication vr) {
    return vr.getSpec().getReplicationHandle() == null ? "" : vr.getSpec().getReplicationHandle();
  }

  private static Duration schedulingInterval(ClassParameters parameters) {
    String text = parameters.driverParameters().get("schedulingInterval");
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      return null; // the driver rejects it at Enable
    }
  }

  private static ZonedDateTime now() {
    return ZonedDateTime.now(ZoneOffset.UTC);
  }

  /** The gRPC status message, as csi-addons puts it into status.message. */
  static String message(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return description == null ? e.getStatus().getCode().toString() : description;
  }

  /** The replication RPCs of one reconcile, all with the same source, parameters and secrets. */
  private final class Ops {
    private final ReplicationSource source;
    private final Map<String, String> parameters;
    private final Map<String, String> secrets;
    private final String replicationId;

    Ops(
        ReplicationSource source,
        Map<String, String> parameters,
        Map<String, String> secrets,
        String replicationId) {
      this.source = source;
      this.parameters = parameters;
      this.secrets = secrets;
      this.replicationId = replicationId;
    }

    void enable() {
      stub()
          .enableVolumeReplication(
              EnableVolumeReplicationRequest.newBuilder()
                  .setReplicationSource(source)
                  .putAllParameters(parameters)
                  .putAllSecrets(secrets)
                  .setReplicationId(replicationId)
                  .build());
    }

    void promote(boolean force) {
      stub()
          .promoteVolume(
              PromoteVolumeRequest.newBuilder()
                  .setForce(force)
                  .setReplicationSource(source)
                  .putAllParameters(parameters)
                  .putAllSecrets(secrets)
                  .setReplicationId(replicationId)
                  .build());
    }

    void demote() {
      stub()
          .demoteVolume(
              DemoteVolumeRequest.newBuilder()
                  .setReplicationSource(source)
                  .putAllParameters(parameters)
                  .putAllSecrets(secrets)
                  .setReplicationId(replicationId)
                  .build());
    }

    boolean resync(boolean force) {
      return stub()
          .resyncVolume(
              ResyncVolumeRequest.newBuilder()
                  .setForce(force)
                  .setReplicationSource(source)
                  .putAllParameters(parameters)
                  .putAllSecrets(secrets)
                  .setReplicationId(replicationId)
                  .build())
          .getReady();
    }

    GetVolumeReplicationInfoResponse info() {
      return stub()
          .getVolumeReplicationInfo(
              GetVolumeReplicationInfoRequest.newBuilder()
                  .setReplicationSource(source)
                  .putAllSecrets(secrets)
                  .setReplicationId(replicationId)
                  .build());
    }
  }
}
