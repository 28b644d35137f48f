package dev.replcert.refdriver.grpc;

import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.DemoteVolumeResponse;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationResponse;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationResponse;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoResponse;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.PromoteVolumeResponse;
import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.api.csiaddons.replication.ResyncVolumeResponse;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.ReplicationStatus;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeGroupInfo;
import dev.replcert.refdriver.site.VolumeInfo;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * csi-addons replication.Controller. Every call: secrets, then replication_source, then (for
 * state changes) the per-id lock, then the engine. The façade-level defects bend the answers here.
 */
public final class ReplicationService extends ControllerGrpc.ControllerImplBase {

  /** How long a demote may take when the caller set no deadline. */
  static final Duration DEFAULT_DEMOTE_BUDGET = Duration.ofMinutes(5);

  private final Facade facade;

  public ReplicationService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void enableVolumeReplication(
      EnableVolumeReplicationRequest request, StreamObserver<EnableVolumeReplicationResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        true,
        EnableVolumeReplicationResponse.getDefaultInstance(),
        target -> {
          if (facade.has(Defect.NON_IDEMPOTENT_ENABLE) && enabled(target)) {
            throw new DriverException(ErrorCode.ALREADY_EXISTS, target + " is already enabled for replication");
          }
          facade.site().enableReplication(target, request.getParametersMap());
          return EnableVolumeReplicationResponse.getDefaultInstance();
        });
  }

  @Override
  public void disableVolumeReplication(
      DisableVolumeReplicationRequest request, StreamObserver<DisableVolumeReplicationResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        true,
        DisableVolumeReplicationResponse.getDefaultInstance(),
        target -> {
          facade.site().disableReplication(target);
          return DisableVolumeReplicationResponse.getDefaultInstance();
        });
  }

  @Override
  public void promoteVolume(PromoteVolumeRequest request, StreamObserver<PromoteVolumeResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        true,
        PromoteVolumeResponse.getDefaultInstance(),
        target -> {
          facade.site().promote(target, request.getForce());
          return PromoteVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void demoteVolume(DemoteVolumeRequest request, StreamObserver<DemoteVolumeResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        true,
        DemoteVolumeResponse.getDefaultInstance(),
        target -> {
          facade.site().demote(target, deadline());
          return DemoteVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void resyncVolume(ResyncVolumeRequest request, StreamObserver<ResyncVolumeResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        true,
        ResyncVolumeResponse.getDefaultInstance(),
        target -> {
          boolean ready;
          try {
            ready = facade.site().resync(target, request.getForce());
          } catch (DriverException e) {
            if (e.code() == ErrorCode.FAILED_PRECONDITION && facade.has(Defect.WRONG_CODE_PRECONDITION)) {
              ready = true;
            } else {
              throw e;
            }
          }
          return ResyncVolumeResponse.newBuilder().setReady(ready).build();
        });
  }

  @Override
  public void getVolumeReplicationInfo(
      GetVolumeReplicationInfoRequest request, StreamObserver<GetVolumeReplicationInfoResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        false,
        GetVolumeReplicationInfoResponse.getDefaultInstance(),
        target -> info(facade.site().replicationStatus(target)));
  }

  @Override
  public void getReplicationDestinationInfo(
      GetReplicationDestinationInfoRequest request, StreamObserver<GetReplicationDestinationInfoResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        request.hasReplicationSource(),
        request.getReplicationSource(),
        false,
        GetReplicationDestinationInfoResponse.getDefaultInstance(),
        target ->
            GetReplicationDestinationInfoResponse.newBuilder().setReplicationDestination(destination(target)).build());
  }

  private <T> void call(
      StreamObserver<T> responses,
      Map<String, String> secrets,
      boolean sourcePresent,
      ReplicationSource source,
      boolean mutating,
      T emptyResponse,
      Function<Target, T> operation) {
    Rpc.unary(
        responses,
        () -> {
          facade.checkSecrets(secrets);
          Target target = ReplicationSources.target(facade, sourcePresent, source);
          try {
            return mutating
                ? facade.locks().withLock(target.id(), () -> operation.apply(target))
                : operation.apply(target);
          } catch (DriverException e) {
            if (e.code() == ErrorCode.NOT_FOUND && facade.has(Defect.WRONG_CODE_NOT_FOUND)) {
              return emptyResponse;
            }
            throw e;
          }
        });
  }

  /** The caller's deadline, handed to the engine so a demote's final sync stops in time. */
  static Instant deadline() {
    Deadline deadline = Context.current().getDeadline();
    Instant now = Instant.now();
    return deadline == null ? now.plus(DEFAULT_DEMOTE_BUDGET) : now.plusNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
  }

  private boolean enabled(Target target) {
    if (target.kind() == Target.Kind.VOLUME) {
      return facade.site().volume(target.id()).role() != VolumeInfo.Role.NONE;
    }
    return facade.site().group(target.id()).volumes().stream().anyMatch(v -> v.role() != VolumeInfo.Role.NONE);
  }

  private static GetVolumeReplicationInfoResponse info(ReplicationStatus status) {
    GetVolumeReplicationInfoResponse.Builder info =
        GetVolumeReplicationInfoResponse.newBuilder()
            .setLastSyncBytes(status.lastSyncBytes())
            .setStatus(
                switch (status.health()) {
                  case HEALTHY -> GetVolumeReplicationInfoResponse.Status.HEALTHY;
                  case DEGRADED -> GetVolumeReplicationInfoResponse.Status.DEGRADED;
                  case ERROR -> GetVolumeReplicationInfoResponse.Status.ERROR;
                });
    if (status.message() != null) {
      info.setStatusMessage(status.message());
    }
    if (status.lastSyncTime() != null) {
      info.setLastSyncTime(Protos.timestamp(status.lastSyncTime()));
    }
    if (status.lastSyncDuration() != null) {
      info.setLastSyncDuration(Protos.duration(status.lastSyncDuration()));
    }
    return info.build();
  }

  /**
   * The replica on the peer carries the same ids as the source (volumes and groups alike), so the
   * destination is the source's ids; FAILED_PRECONDITION while the source is not replicated.
   */
  private ReplicationDestination destination(Target target) {
    if (target.kind() == Target.Kind.VOLUME) {
      VolumeInfo volume = facade.site().volume(target.id());
      requireReplicated(volume, target);
      return ReplicationDestination.newBuilder()
          .setVolume(ReplicationDestination.VolumeDestination.newBuilder().setVolumeId(volume.volumeId()))
          .build();
    }
    VolumeGroupInfo group = facade.site().group(target.id());
    var destination = ReplicationDestination.VolumeGroupDestination.newBuilder().setVolumeGroupId(group.groupId());
    for (VolumeInfo member : group.volumes()) {
      requireReplicated(member, target);
      destination.putVolumeIds(member.volumeId(), member.volumeId());
    }
    return ReplicationDestination.newBuilder().setVolumegroup(destination).build();
  }

  private static void requireReplicated(VolumeInfo volume, Target target) {
    if (volume.role() == VolumeInfo.Role.NONE) {
      throw new DriverException(
          ErrorCode.FAILED_PRECONDITION, target + " is not replicated (volume " + volume.volumeId() + ")");
    }
  }
}
