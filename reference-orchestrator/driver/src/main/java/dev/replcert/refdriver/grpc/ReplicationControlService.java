package dev.replcert.refdriver.grpc;

import dev.replcert.api.refdriver.v1.GetReplicationControlRequest;
import dev.replcert.api.refdriver.v1.GetReplicationControlResponse;
import dev.replcert.api.refdriver.v1.PauseReplicationRequest;
import dev.replcert.api.refdriver.v1.PauseReplicationResponse;
import dev.replcert.api.refdriver.v1.ReplicationControlGrpc;
import dev.replcert.api.refdriver.v1.ResumeReplicationRequest;
import dev.replcert.api.refdriver.v1.ResumeReplicationResponse;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.Target;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vendor extension: pause / resume replication of a volume or group (csi-addons has no such RPC).
 * The id names either; volumes are looked up first.
 */
public final class ReplicationControlService extends ReplicationControlGrpc.ReplicationControlImplBase {

  private final Facade facade;
  /** When each target was paused through this service; informational (lost on restart). */
  private final Map<Target, Instant> pausedSince = new ConcurrentHashMap<>();

  public ReplicationControlService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void pauseReplication(PauseReplicationRequest request, StreamObserver<PauseReplicationResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Target target = target(request.getId());
          facade
              .locks()
              .withLock(
                  target.id(),
                  () -> {
                    facade.site().pause(target);
                    pausedSince.putIfAbsent(target, Instant.now());
                  });
          return PauseReplicationResponse.getDefaultInstance();
        });
  }

  @Override
  public void resumeReplication(ResumeReplicationRequest request, StreamObserver<ResumeReplicationResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Target target = target(request.getId());
          facade
              .locks()
              .withLock(
                  target.id(),
                  () -> {
                    facade.site().resume(target);
                    pausedSince.remove(target);
                  });
          return ResumeReplicationResponse.getDefaultInstance();
        });
  }

  @Override
  public void getReplicationControl(
      GetReplicationControlRequest request, StreamObserver<GetReplicationControlResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Target target = target(request.getId());
          boolean paused = facade.site().paused(target);
          GetReplicationControlResponse.Builder control = GetReplicationControlResponse.newBuilder().setPaused(paused);
          Instant since = pausedSince.get(target);
          if (paused && since != null) {
            control.setPausedSince(Protos.timestamp(since));
          }
          return control.build();
        });
  }

  private Target target(String id) {
    Require.nonEmpty(id, "id");
    try {
      facade.site().volume(id);
      return Target.volume(id);
    } catch (DriverException e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
    }
    facade.site().group(id); // NOT_FOUND when it is neither
    return Target.group(id);
  }
}
