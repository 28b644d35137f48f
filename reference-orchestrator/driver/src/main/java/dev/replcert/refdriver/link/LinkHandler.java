package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DropReleasedRequest;
import dev.replcert.refdriver.link.proto.DropReleasedResponse;
import dev.replcert.refdriver.link.proto.EnsureReplicasRequest;
import dev.replcert.refdriver.link.proto.EnsureReplicasResponse;
import dev.replcert.refdriver.link.proto.GetStateRequest;
import dev.replcert.refdriver.link.proto.GetStateResponse;
import dev.replcert.refdriver.link.proto.RequestResyncRequest;
import dev.replcert.refdriver.link.proto.RequestResyncResponse;
import dev.replcert.refdriver.link.proto.ShareFenceRequest;
import dev.replcert.refdriver.link.proto.ShareFenceResponse;
import io.grpc.stub.StreamObserver;

/**
 * What a site does when its peer calls it over the replication link. Implementations must not
 * wait for a sync the calling site may itself be holding locks for (GetState in particular reads
 * published state only).
 */
public interface LinkHandler {

  String site();

  GetStateResponse getState(GetStateRequest request);

  EnsureReplicasResponse ensureReplicas(EnsureReplicasRequest request);

  /** Receives one delta; answers exactly one DeltaAck (or an error) on {@code acks}. */
  StreamObserver<DeltaChunk> receiveDelta(StreamObserver<DeltaAck> acks);

  RequestResyncResponse requestResync(RequestResyncRequest request);

  /** Deletes the named replicas that were released here (the peer disabled their replication). */
  DropReleasedResponse dropReleased(DropReleasedRequest request);

  /** Keeps the newer of the peer's and this site's network fence; answers with the one kept. */
  ShareFenceResponse shareFence(ShareFenceRequest request);
}
