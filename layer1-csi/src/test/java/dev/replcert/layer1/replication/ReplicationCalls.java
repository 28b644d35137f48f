package dev.replcert.layer1.replication;

import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.layer1.support.GrpcAssertions;
import dev.replcert.layer1.support.SiteDriver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The six replication.Controller RPCs that address a replication source, as raw calls for the
 * negative and idempotency tests: each takes the source to send, or null to leave
 * replication_source unset, and otherwise a well-formed request (class parameters, secrets).
 */
final class ReplicationCalls {

  private ReplicationCalls() {}

  /** RPC name to call, in the order the csi-addons controller uses them. */
  static Map<String, Function<ReplicationSource, GrpcAssertions.Call>> of(SiteDriver site) {
    Map<String, Function<ReplicationSource, GrpcAssertions.Call>> calls = new LinkedHashMap<>();
    calls.put("EnableVolumeReplication", source -> () -> enable(site, source));
    calls.put("PromoteVolume", source -> () -> site.stubs().replication().promoteVolume(promote(site, source)));
    calls.put("GetVolumeReplicationInfo", source -> () -> site.stubs().replication().getVolumeReplicationInfo(info(site, source)));
    calls.put("DemoteVolume", source -> () -> site.stubs().replication().demoteVolume(demote(site, source)));
    calls.put("ResyncVolume", source -> () -> site.stubs().replication().resyncVolume(resync(site, source)));
    calls.put("DisableVolumeReplication", source -> () -> disable(site, source));
    return calls;
  }

  static Object enable(SiteDriver site, ReplicationSource source) {
    EnableVolumeReplicationRequest.Builder request =
        EnableVolumeReplicationRequest.newBuilder()
            .putAllParameters(site.replicationParameters())
            .putAllSecrets(site.secrets());
    if (source != null) {
      request.setReplicationSource(source);
    }
    return site.stubs().replication().enableVolumeReplication(request.build());
  }

  static Object disable(SiteDriver site, ReplicationSource source) {
    DisableVolumeReplicationRequest.Builder request =
        DisableVolumeReplicationRequest.newBuilder()
            .putAllParameters(site.replicationParameters())
            .putAllSecrets(site.secrets());
    if (source != null) {
      request.setReplicationSource(source);
    }
    return site.stubs().replication().disableVolumeReplication(request.build());
  }

  static PromoteVolumeRequest promote(SiteDriver site, ReplicationSource source) {
    PromoteVolumeRequest.Builder request =
        PromoteVolumeRequest.newBuilder()
            .putAllParameters(site.replicationParameters())
            .putAllSecrets(site.secrets());
    if (source != null) {
      request.setReplicationSource(source);
    }
    return request.build();
  }

  static DemoteVolumeRequest demote(SiteDriver site, ReplicationSource source) {
    DemoteVolumeRequest.Builder request =
        DemoteVolumeRequest.newBuilder()
            .putAllParameters(site.replicationParameters())
            .putAllSecrets(site.secrets());
    if (source != null) {
      request.setReplicationSource(source);
    }
    return request.build();
  }

  static ResyncVolumeRequest resync(SiteDriver site, ReplicationSource source) {
    ResyncVolumeRequest.Builder request =
        ResyncVolumeRequest.newBuilder()
            .putAllParameters(site.replicationParameters())
            .putAllSecrets(site.secrets());
    if (source != null) {
      request.setReplicationSource(source);
    }
    return request.build();
  }

  static GetVolumeReplicationInfoRequest info(SiteDriver site, ReplicationSource source) {
    GetVolumeReplicationInfoRequest.Builder request =
        GetVolumeReplicationInfoRequest.newBuilder().putAllSecrets(site.secrets());
    if (source != null) {
      request.setReplicationSource(source);
    }
    return request.build();
  }
}
