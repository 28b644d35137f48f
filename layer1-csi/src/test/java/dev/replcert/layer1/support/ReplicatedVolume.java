package dev.replcert.layer1.support;

import dev.replcert.harness.kube.Waits;
import dev.replcert.api.csi.v1.CapacityRange;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.Volume;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.api.csi.v1.VolumeContentSource;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.track.ResourceTracker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A volume created on one site and replicated to the other: the fixture of every data test.
 * Knows the volume's id on each site, creates and enables it, waits for syncs by the reported
 * last_sync_time, and performs the role changes the way an orchestrator does (a planned promote
 * retries FAILED_PRECONDITION and never forces). Everything it makes on either site is tracked for
 * cleanup, the peer's replica included.
 */
public final class ReplicatedVolume {

  private final SiteDriver origin;
  private final SiteDriver peer;
  private final String id;
  private final String peerId;
  private final long capacityBytes;
  private final VolumeCapability capability;
  private final CertificationConfig config;
  private final Evidence evidence;
  private final Waits waits;

  private ReplicatedVolume(
      SiteDriver origin,
      SiteDriver peer,
      String id,
      String peerId,
      long capacityBytes,
      VolumeCapability capability,
      CertificationConfig config,
      Evidence evidence) {
    this.origin = origin;
    this.peer = peer;
    this.id = id;
    this.peerId = peerId;
    this.capacityBytes = capacityBytes;
    this.capability = capability;
    this.config = config;
    this.evidence = evidence;
    this.waits = new Waits(config.timeoutProfile());
  }

  /**
   * Creates a volume of the configured size on {@code primary}, enables replication there and
   * waits until the first sync reached {@code secondary} (GetVolumeReplicationInfo reports a
   * last_sync_time).
   */
  public static ReplicatedVolume mustCreate(
      SiteDriver primary,
      SiteDriver secondary,
      ResourceTracker tracker,
      CertificationConfig config,
      Evidence evidence,
      String name,
      VolumeCapability capability) {
    return mustCreate(
        primary,
        secondary,
        tracker,
        config,
        evidence,
        name,
        capability,
        config.driver().volume().sizeBytes());
  }

  /** As {@link #mustCreate}, asking for {@code sizeBytes} (the driver may round up). */
  public static ReplicatedVolume mustCreate(
      SiteDriver primary,
      SiteDriver secondary,
      ResourceTracker tracker,
      CertificationConfig config,
      Evidence evidence,
      String name,
      VolumeCapability capability,
      long sizeBytes) {
    Volume volume = mustCreateVolume(primary, tracker, name, capability, sizeBytes, null);
    return mustEnable(
        primary, secondary, tracker, config, evidence, volume.getVolumeId(),
        capacityOf(volume, sizeBytes), capability);
  }

  /**
   * Replicates an existing volume of {@code primary} (one the test created, e.g. a clone) and
   * waits for its first sync.
   */
  public static ReplicatedVolume mustEnable(
      SiteDriver primary,
      SiteDriver secondary,
      ResourceTracker tracker,
      CertificationConfig config,
      Evidence evidence,
      String volumeId,
      long capacityBytes,
      VolumeCapability capability) {
    primary.mustEnable(SiteDriver.source(volumeId));
    Waits waits = new Waits(config.timeoutProfile());
    // the replica's id is known after the first sync; until then it is assumed to be the same
    AtomicReference<String> replica = new AtomicReference<>(volumeId);
    tracker.track(
        "replication of " + volumeId + " on both sites, and its replica on " + secondary.site(),
        () -> removeReplication(primary, secondary, volumeId, replica.get(), waits));
    long start = System.nanoTime();
    String peerId =
        waits.until(
            "the first sync of volume " + volumeId + " reached " + secondary.site()
                + " (GetVolumeReplicationInfo on " + primary.site() + " reports a last_sync_time)",
            TimeoutOperation.FIRST_SYNC,
            () -> firstSynced(primary, volumeId, config),
            Optional::isPresent)
            .orElseThrow();
    replica.set(peerId);
    evidence.measure("firstSync.latency", (System.nanoTime() - start) / 1e9, "s");
    return new ReplicatedVolume(
        primary, secondary, volumeId, peerId, capacityBytes, capability, config, evidence);
  }

  /** The capacity CreateVolume reported, or what was asked for when it reported none. */
  public static long capacityOf(Volume volume, long requested) {
    return volume.getCapacityBytes() > 0 ? volume.getCapacityBytes() : requested;
  }

  /** CreateVolume with an explicit capability and size (and content source); deleted at cleanup. */
  public static Volume mustCreateVolume(
      SiteDriver site,
      ResourceTracker tracker,
      String name,
      VolumeCapability capability,
      long sizeBytes,
      VolumeContentSource contentSource) {
    CreateVolumeRequest.Builder request =
        CreateVolumeRequest.newBuilder()
            .setName(name)
            .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(sizeBytes))
            .addVolumeCapabilities(capability)
            .putAllSecrets(site.secrets());
    if (contentSource != null) {
      request.setVolumeContentSource(contentSource);
    }
    Volume volume;
    try {
      volume = site.stubs().controller().createVolume(request.build()).getVolume();
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          site.site() + ": CreateVolume " + name + " (" + AccessTypes.describe(capability)
              + (contentSource == null ? "" : ", volume_content_source { " + contentSource + "}")
              + ") failed with " + e.getStatus().getCode() + ": " + e.getStatus().getDescription(),
          e);
    }
    String id = volume.getVolumeId();
    tracker.track("volume " + id + " on " + site.site(), () -> deleteVolume(site, id));
    return volume;
  }

  public String id() {
    return id;
  }

  /** The volume's id on {@code site}: the created one, or its replica's on the peer. */
  public String idOn(SiteDriver site) {
    return site.site().equals(origin.site()) ? id : peerId;
  }

  public ReplicationSource sourceOn(SiteDriver site) {
    return SiteDriver.source(idOn(site));
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  public VolumeCapability capability() {
    return capability;
  }

  // ---------------------------------------------------------------- data path

  public Publication mustPublish(SiteDriver site, ResourceTracker tracker, boolean readOnly) {
    return Publication.mustPublish(site, tracker, idOn(site), capacityBytes, capability, readOnly);
  }

  public Publication.Attempt attemptPublish(
      SiteDriver site, ResourceTracker tracker, boolean readOnly) {
    return Publication.attempt(site, tracker, idOn(site), capacityBytes, capability, readOnly);
  }

  // ---------------------------------------------------------------- sync status

  /** last_sync_time reported by {@code primary}, if any sync was reported yet. */
  public Optional<Instant> lastSyncTime(SiteDriver primary) {
    GetVolumeReplicationInfoResponse info = primary.mustGetInfo(sourceOn(primary));
    return info.hasLastSyncTime() ? Optional.of(Times.instant(info.getLastSyncTime())) : Optional.empty();
  }

  /**
   * Waits until {@code primary} reports a last_sync_time at or after {@code after}: a sync that
   * started after that moment was applied on the peer. Returns the info that said so.
   */
  public GetVolumeReplicationInfoResponse awaitSyncAfter(
      SiteDriver primary, Instant after, TimeoutOperation limit) {
    return awaitSyncAfter(primary, after, config.timeoutProfile().of(limit));
  }

  public GetVolumeReplicationInfoResponse awaitSyncAfter(
      SiteDriver primary, Instant after, Duration limit) {
    return waits.until(
        primary.site() + " reports a last_sync_time at or after " + after + " for volume "
            + idOn(primary),
        limit,
        () -> primary.mustGetInfo(sourceOn(primary)),
        info ->
            info.hasLastSyncTime() && !Times.instant(info.getLastSyncTime()).isBefore(after));
  }

  // ---------------------------------------------------------------- role changes

  /** DemoteVolume with the demote timeout as deadline (its final sync may take a while). */
  public void mustDemote(SiteDriver site) {
    site.mustDemote(sourceOn(site));
  }

  /** PromoteVolume(force=true): the failover when the peer is unreachable. */
  public void mustForcePromote(SiteDriver site) {
    try {
      site.mustPromote(sourceOn(site), true);
    } catch (AssertionError e) {
      throw new AssertionError(
          "force promote must work when the peer site is down (the failover after losing the"
              + " primary): " + e.getMessage(),
          e.getCause());
    }
  }

  /**
   * PromoteVolume(force=false), retried while the driver answers FAILED_PRECONDITION (the peer's
   * demote may still be settling) until the promote timeout; never forces. Any other error fails
   * at once.
   */
  public void mustPromoteWithoutForce(SiteDriver site) {
    long start = System.nanoTime();
    int[] attempts = {0};
    Status.Code last =
        waits.until(
            site.site() + " accepts PromoteVolume(force=false) of volume " + idOn(site)
                + " (FAILED_PRECONDITION is retried, force is never used)",
            TimeoutOperation.PROMOTE,
            () -> {
              attempts[0]++;
              try {
                site.stubs().replication().promoteVolume(site.promote(sourceOn(site), false));
                return Status.Code.OK;
              } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
              }
            },
            code -> code != Status.Code.FAILED_PRECONDITION);
    if (last != Status.Code.OK) {
      throw new AssertionError(
          site.site() + ": PromoteVolume(force=false) of volume " + idOn(site)
              + " after the peer was demoted failed with " + last
              + " (only FAILED_PRECONDITION is retried)");
    }
    evidence.measure("promote.latency." + site.site(), (System.nanoTime() - start) / 1e9, "s");
    evidence.measure("promote.attempts." + site.site(), attempts[0], "calls");
  }

  /**
   * A planned switch of the volume from {@code from} to {@code to}: DemoteVolume on {@code from}
   * (the caller has stopped and unpublished the application), then a promote without force.
   */
  public void plannedSwitch(SiteDriver from, SiteDriver to) {
    mustDemote(from);
    mustPromoteWithoutForce(to);
  }

  // ---------------------------------------------------------------- helpers

  /** The peer id once the first sync is reported, else empty (and the wait goes on). */
  private static Optional<String> firstSynced(
      SiteDriver primary, String volumeId, CertificationConfig config) {
    GetVolumeReplicationInfoResponse info = primary.mustGetInfo(SiteDriver.source(volumeId));
    if (!info.hasLastSyncTime()) {
      return Optional.empty();
    }
    if (!config.capabilities().claims(Capability.REPLICATION_DESTINATION_INFO)) {
      // without the RPC the replica carries the same id (the csi-addons convention)
      return Optional.of(volumeId);
    }
    var destination =
        primary
            .stubs()
            .replication()
            .getReplicationDestinationInfo(
                GetReplicationDestinationInfoRequest.newBuilder()
                    .setReplicationSource(SiteDriver.source(volumeId))
                    .putAllSecrets(primary.secrets())
                    .build())
            .getReplicationDestination();
    String peerId = destination.getVolume().getVolumeId();
    return Optional.of(peerId.isEmpty() ? volumeId : peerId);
  }

  /**
   * Disables replication on both sites, then deletes the peer's replica (the origin's volume has
   * its own cleanup). While one site still replicates it may turn the other back into its
   * replica, so the whole step is repeated until the delete goes through.
   */
  private static void removeReplication(
      SiteDriver origin, SiteDriver peer, String volumeId, String replicaId, Waits waits) {
    waits.until(
        "replication of volume " + volumeId + " disabled on both sites and the replica "
            + replicaId + " on " + peer.site() + " deleted",
        TimeoutOperation.CLEANUP,
        () -> {
          disableIfPresent(origin, volumeId);
          disableIfPresent(peer, replicaId);
          deleteVolume(peer, replicaId);
          return true;
        },
        done -> done);
  }

  private static void disableIfPresent(SiteDriver site, String volumeId) {
    try {
      site.disable(SiteDriver.source(volumeId));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** DeleteVolume; NOT_FOUND counts as deleted. */
  public static void deleteVolume(SiteDriver site, String volumeId) {
    try {
      site.stubs()
          .controller()
          .deleteVolume(
              DeleteVolumeRequest.newBuilder()
                  .setVolumeId(volumeId)
                  .putAllSecrets(site.secrets())
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public String toString() {
    return "volume " + id + " (" + origin.site() + ") / " + peerId + " (" + peer.site() + ")";
  }
}
