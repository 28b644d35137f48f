package dev.replcert.layer1.support;

import dev.replcert.harness.kube.Names;
import dev.replcert.harness.kube.Waits;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoResponse;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeResponse;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.Sampler.Sample;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One test's replicated volumes between east (the first primary) and west: the steps the
 * replication and status suites share, each asserting what it promises, and a cleanup that leaves
 * neither site with a replica (replication disabled on both sites, then the peer's replica
 * deleted; the east volume itself is deleted by {@link SiteDriver#mustCreateVolume}'s cleanup).
 */
public final class ReplicationFixture {

  private final SiteDriver east;
  private final SiteDriver west;
  private final CertificationConfig config;
  private final CapabilityProfile profile;
  private final ResourceTracker tracker;
  private final Evidence evidence;
  private final TimeoutProfile timeouts;
  private final Waits waits;
  private final Sampler sampler;
  private final Duration interval;
  private final Map<String, String> peers = new HashMap<>();

  public ReplicationFixture(
      DriverEndpoint east,
      DriverEndpoint west,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    this.east = new SiteDriver(east, config, tracker, evidence);
    this.west = new SiteDriver(west, config, tracker, evidence);
    this.config = config;
    this.profile = config.capabilities();
    this.tracker = tracker;
    this.evidence = evidence;
    this.timeouts = config.timeoutProfile();
    this.waits = new Waits(timeouts);
    this.sampler = new Sampler(timeouts.of(TimeoutOperation.RPC));
    this.interval = Targets.syncInterval(environment, config);
  }

  public SiteDriver east() {
    return east;
  }

  public SiteDriver west() {
    return west;
  }

  public Waits waits() {
    return waits;
  }

  public Sampler sampler() {
    return sampler;
  }

  /** How often the driver ships a sync. */
  public Duration interval() {
    return interval;
  }

  /** The longest a healthy replication may go without a new last_sync_time (ramenctl warns). */
  public Duration twiceInterval() {
    return interval.multipliedBy(2);
  }

  public static ReplicationSource source(String volumeId) {
    return SiteDriver.source(volumeId);
  }

  // ---------------------------------------------------------------- setting up

  /**
   * CreateVolume on east. At cleanup replication is disabled on both sites, twice over so that a
   * sync in flight cannot bring a replica back, then the peer's replica is deleted.
   */
  public String mustCreateVolume(String what) {
    String id = east.mustCreateVolume(Names.unique(what));
    tracker.track("replication of volume " + id + " on east and west", () -> tearDown(id));
    return id;
  }

  /** Create, enable and promote (without force) on east, then wait for the first sync. */
  public String mustReplicate(String what) {
    String id = mustCreateVolume(what);
    east.mustEnable(source(id));
    east.mustPromote(source(id), false);
    awaitFirstSync(east, id);
    peerVolumeId(id);
    return id;
  }

  /** Waits (first-sync timeout) until the primary reports a last_sync_time. */
  public GetVolumeReplicationInfoResponse awaitFirstSync(SiteDriver primary, String id) {
    Instant start = Instant.now();
    GetVolumeReplicationInfoResponse info =
        waits.until(
            "the first sync of volume " + id + " from " + primary.site()
                + " is reported (GetVolumeReplicationInfo.last_sync_time set)",
            TimeoutOperation.FIRST_SYNC,
            () -> new Seen(info(primary, id)),
            seen -> seen.info().hasLastSyncTime()).info();
    evidence.measure("firstSync." + primary.site(), seconds(start, Instant.now()), "s");
    return info;
  }

  /**
   * Waits until the primary reports a last_sync_time after {@code after} (or any, when null),
   * for at most {@code limit}; returns the answer and records how long it took.
   */
  public GetVolumeReplicationInfoResponse awaitSyncAfter(
      SiteDriver primary, String id, Instant after, Duration limit) {
    Instant start = Instant.now();
    GetVolumeReplicationInfoResponse info =
        waits.until(
            "GetVolumeReplicationInfo of volume " + id + " on " + primary.site()
                + " reports a last_sync_time "
                + (after == null ? "" : "after " + after + " ")
                + "within " + limit + " (a replicating primary's last_sync_time advances within"
                + " twice the sync interval of " + interval + ", plus one poll)",
            limit,
            () -> new Seen(info(primary, id)),
            seen -> seen.info().hasLastSyncTime()
                && (after == null || instant(seen.info().getLastSyncTime()).isAfter(after)))
            .info();
    evidence.measure("syncAdvance." + primary.site(), seconds(start, Instant.now()), "s");
    return info;
  }

  /**
   * The site is primary and its replication runs: GetVolumeReplicationInfo answers OK and
   * last_sync_time moves past the value first seen within twice the interval.
   */
  public void assertPrimaryAndReplicating(SiteDriver site, String id) {
    GetVolumeReplicationInfoResponse first = site.mustGetInfo(source(id));
    Instant seen = first.hasLastSyncTime() ? instant(first.getLastSyncTime()) : null;
    awaitSyncAfter(site, id, seen, twiceInterval().plus(pollSlack()));
  }

  /**
   * The site does not hold the volume as primary: GetVolumeReplicationInfo answers
   * FAILED_PRECONDITION ("not enabled or not primary" in the csi-addons error table).
   */
  public void assertNotPrimary(SiteDriver site, String id, String why) {
    GrpcAssertions.assertCode(
        Status.Code.FAILED_PRECONDITION,
        site.site() + ": GetVolumeReplicationInfo of volume " + id + ", which is not primary there ("
            + why + ")",
        () -> site.stubs().replication().getVolumeReplicationInfo(site.infoRequest(source(id))));
  }

  /**
   * The peer's volume id of an east volume: what GetReplicationDestinationInfo names when the
   * profile claims it (retrying UNAVAILABLE), else the same id (the csi-addons default).
   */
  public String peerVolumeId(String id) {
    String known = peers.get(id);
    if (known != null) {
      return known;
    }
    String peer = id;
    if (profile.claims(Capability.REPLICATION_DESTINATION_INFO)) {
      peer = mustGetDestination(east, id).getReplicationDestination().getVolume().getVolumeId();
      assertThat(peer)
          .as("east: GetReplicationDestinationInfo of volume %s names no peer volume", id)
          .isNotBlank();
    }
    peers.put(id, peer);
    return peer;
  }

  /** GetReplicationDestinationInfo, retrying UNAVAILABLE (destination not yet available). */
  public GetReplicationDestinationInfoResponse mustGetDestination(SiteDriver site, String id) {
    Sample<Optional<GetReplicationDestinationInfoResponse>> answered =
        sampler.until(
            "GetReplicationDestinationInfo of volume " + id + " on " + site.site()
                + " answers (UNAVAILABLE is retried: destination not yet available)",
            timeouts.of(TimeoutOperation.POLL),
            timeouts.of(TimeoutOperation.REPLICATION_ESTABLISHED),
            () -> {
              try {
                return Optional.of(site.stubs().replication().getReplicationDestinationInfo(
                    destinationRequest(site, id)));
              } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                  return Optional.empty();
                }
                throw failed(site, "GetReplicationDestinationInfo of volume " + id, e);
              }
            },
            Optional::isPresent);
    GetReplicationDestinationInfoResponse destination = answered.value().orElseThrow();
    String named = destination.getReplicationDestination().getVolume().getVolumeId();
    if (site == east && !named.isBlank()) {
      peers.putIfAbsent(id, named);
    }
    return destination;
  }

  public static GetReplicationDestinationInfoRequest destinationRequest(SiteDriver site, String id) {
    return GetReplicationDestinationInfoRequest.newBuilder()
        .setReplicationSource(source(id))
        .putAllSecrets(site.secrets())
        .build();
  }

  // ---------------------------------------------------------------- role changes

  /** DemoteVolume with the demote timeout as deadline; a driver that overruns it is named so. */
  public void mustDemote(SiteDriver site, String id) {
    try {
      site.mustDemote(source(id));
    } catch (AssertionError e) {
      if (e.getCause() instanceof StatusRuntimeException sre
          && sre.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        throw new AssertionError(
            site.site() + ": DemoteVolume of volume " + id + " did not answer within the demote"
                + " timeout of " + timeouts.of(TimeoutOperation.DEMOTE)
                + " (DEADLINE_EXCEEDED): every RPC honours its deadline, a demote ends or fails"
                + " within it",
            e);
      }
      throw e;
    }
  }

  /**
   * PromoteVolume(force=false) once the peer has been demoted: FAILED_PRECONDITION is retried
   * until the promote timeout (the peer may not have seen the demote yet), any other failure ends
   * the test at once. Records the latency until it succeeded.
   */
  public void mustPromoteOncePeerDemoted(SiteDriver site, String id) {
    Instant start = Instant.now();
    sampler.until(
        "PromoteVolume(force=false) of volume " + id + " on " + site.site()
            + " succeeds now that its peer is demoted (FAILED_PRECONDITION retried)",
        timeouts.of(TimeoutOperation.POLL),
        timeouts.of(TimeoutOperation.PROMOTE),
        () -> {
          try {
            site.stubs().replication().promoteVolume(site.promote(source(id), false));
            return Status.OK;
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
              return e.getStatus();
            }
            throw failed(site, "PromoteVolume(force=false) of volume " + id, e);
          }
        },
        Status::isOk);
    evidence.measure("promote.latency." + site.site(), seconds(start, Instant.now()), "s");
  }

  /** The planned switch of the replication roles: demote {@code from}, promote {@code to}. */
  public void mustSwitch(SiteDriver from, String fromId, SiteDriver to, String toId) {
    mustDemote(from, fromId);
    mustPromoteOncePeerDemoted(to, toId);
  }

  /**
   * ResyncVolume(force=false) every interval/2 until it answers ready=true, within the resync
   * timeout; every call must answer OK. Returns the ready answer.
   */
  public ResyncVolumeResponse mustResyncUntilReady(SiteDriver site, String id) {
    Instant start = Instant.now();
    int[] calls = {0};
    Sample<ResyncVolumeResponse> ready =
        sampler.until(
            "ResyncVolume(force=false) of volume " + id + " on " + site.site()
                + " reports ready=true",
            interval.dividedBy(2),
            timeouts.of(TimeoutOperation.RESYNC),
            () -> {
              calls[0]++;
              try {
                return site.stubs().replication().resyncVolume(site.resync(source(id), false));
              } catch (StatusRuntimeException e) {
                throw failed(
                    site,
                    "ResyncVolume(force=false) of demoted volume " + id + " (call " + calls[0]
                        + "; a resync answers OK with ready=false until caught up, never an error)",
                    e);
              }
            },
            ResyncVolumeResponse::getReady);
    evidence.measure("resync.readyAfter." + site.site(), seconds(start, ready.after()), "s");
    evidence.measure("resync.calls." + site.site(), calls[0], "calls");
    return ready.value();
  }

  // ---------------------------------------------------------------- site outages

  /**
   * Takes the site down (brought back at cleanup if the test does not); returns when it was
   * down, and records how long that took.
   */
  public Instant takeDown(DisasterInjector disasters, String site) {
    Instant cutting = Instant.now();
    disasters.takeDown(site);
    tracker.track("bring " + site + " back", () -> {
      if (disasters.isDown(site)) {
        disasters.bringUp(site);
      }
    });
    Instant down = Instant.now();
    evidence.measure("siteDown." + site, seconds(cutting, down), "s");
    return down;
  }

  /** Brings the site back; returns when it answered again, and records how long that took. */
  public Instant bringUp(DisasterInjector disasters, String site) {
    Instant bringing = Instant.now();
    disasters.bringUp(site);
    Instant up = Instant.now();
    evidence.measure("siteUp." + site, seconds(bringing, up), "s");
    return up;
  }

  // ---------------------------------------------------------------- data

  /** Stages and publishes on the site's node (undone at cleanup, or earlier by the test). */
  public NodePublication mustPublish(SiteDriver site, String id, boolean readOnly) {
    return NodePublication.mustPublish(
        site, id, readOnly, tracker, timeouts.of(TimeoutOperation.RPC));
  }

  public RecordFormat recordFormat() {
    return new RecordFormat(config.workload().recordSize());
  }

  /** A writer of a new run at the configured rate; flushes every record unless told not to. */
  public RecordWriter writer(NodePublication publication, boolean flushEachRecord) {
    return RecordWriter.builder(publication.io(), UUID.randomUUID())
        .format(recordFormat())
        .recordsPerSecond(config.workload().writesPerSecond())
        .flushEachRecord(flushEachRecord)
        .build();
  }

  /**
   * With the capability node-data-path claimed, publishes the volume read-write on the site and
   * starts a paced writer (stopped at cleanup); without it, records that no writer ran.
   */
  public Optional<RecordWriter> startWriterIfDataPath(SiteDriver site, String id) {
    if (!profile.claims(Capability.NODE_DATA_PATH)) {
      evidence.attach(
          "writer", "no writer ran: the profile does not claim node-data-path, so the harness"
              + " may not publish volumes; the status was observed with the volume idle");
      return Optional.empty();
    }
    RecordWriter writer = writer(mustPublish(site, id, false), true);
    writer.start();
    tracker.track("writer on volume " + id + " on " + site.site(), () -> {
      WriterReport report = writer.stop();
      evidence.attach("writer on " + site.site(), report.toString());
    });
    return Optional.of(writer);
  }

  /** Whether data checks may run (node-data-path claimed); evidence says so when they may not. */
  public boolean dataPathClaimed(String check) {
    if (profile.claims(Capability.NODE_DATA_PATH)) {
      return true;
    }
    evidence.attach(
        "not checked", check + ": the profile does not claim node-data-path");
    return false;
  }

  /** The site accepts writes to the volume: 10 records written, flushed and read back intact. */
  public void assertWritable(SiteDriver site, String id) {
    NodePublication publication = mustPublish(site, id, false);
    RecordWriter writer = writer(publication, true);
    try {
      writer.writeRecords(10);
    } catch (VolumeIoException e) {
      throw new AssertionError(
          site.site() + ": volume " + id + " must accept writes as the primary, but a write failed: "
              + e, e);
    }
    Verification read = WrittenRecords.verify(publication.io(), recordFormat(), writer.report());
    assertThat(read.lostRecords(writer.report()))
        .as("%s: records written to primary volume %s and read back: %s", site.site(), id,
            read.describe(writer.report()))
        .isZero();
    publication.mustUnpublish();
  }

  /**
   * The site refuses writes to the volume: a read-write NodePublishVolume is refused, or the
   * first write through it fails.
   */
  public void assertRefusesWrites(SiteDriver site, String id) {
    NodePublication.Attempt attempt =
        NodePublication.tryPublish(site, id, false, tracker, timeouts.of(TimeoutOperation.RPC));
    if (attempt.refusal() != null) {
      evidence.attach("writes refused on " + site.site(),
          "NodePublishVolume read-write refused: " + attempt.refusal().getStatus());
      return;
    }
    NodePublication publication = attempt.publication();
    RecordWriter writer = writer(publication, true);
    try {
      writer.writeRecords(1);
    } catch (VolumeIoException refused) {
      assertThat(refused.kind())
          .as("%s: the write to secondary volume %s failed, but not as a read-only volume: %s",
              site.site(), id, refused)
          .isEqualTo(VolumeIoException.Kind.READ_ONLY);
      evidence.attach("writes refused on " + site.site(), refused.toString());
      publication.mustUnpublish();
      return;
    }
    throw new AssertionError(
        site.site() + ": volume " + id + " is not primary there, yet it was published read-write"
            + " and accepted a write: a secondary is read-only");
  }

  // ---------------------------------------------------------------- observations

  public GetVolumeReplicationInfoResponse info(SiteDriver site, String id) {
    return site.stubs().replication().getVolumeReplicationInfo(site.infoRequest(source(id)));
  }

  /** A one-line account of a GetVolumeReplicationInfo answer for messages and evidence. */
  public static String describe(GetVolumeReplicationInfoResponse info) {
    return "status=" + info.getStatus()
        + " last_sync_time=" + (info.hasLastSyncTime() ? instant(info.getLastSyncTime()) : "unset")
        + " last_sync_duration="
        + (info.hasLastSyncDuration()
            ? Duration.ofSeconds(info.getLastSyncDuration().getSeconds(), info.getLastSyncDuration().getNanos())
            : "unset")
        + " last_sync_bytes=" + info.getLastSyncBytes()
        + (info.getStatusMessage().isEmpty() ? "" : " message=\"" + info.getStatusMessage() + "\"");
  }

  /** An answer as waits print it: one line. */
  private record Seen(GetVolumeReplicationInfoResponse info) {
    @Override
    public String toString() {
      return describe(info);
    }
  }

  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  public static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  /** One poll of a wait: a change that happened just in time is still seen. */
  public Duration pollSlack() {
    return timeouts.of(TimeoutOperation.POLL);
  }

  public static AssertionError failed(SiteDriver site, String what, StatusRuntimeException e) {
    return new AssertionError(
        site.site() + ": " + what + " failed with " + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")"),
        e);
  }

  // ---------------------------------------------------------------- cleanup

  private void tearDown(String id) {
    String peer = peers.containsKey(id) ? peers.get(id) : cleanupPeer(id);
    for (int pass = 0; pass < 2; pass++) {
      ignoringNotFound(() -> east.disable(source(id)));
      ignoringNotFound(() -> west.disable(source(peer)));
    }
    ignoringNotFound(
        () ->
            west.stubs()
                .controller()
                .deleteVolume(
                    DeleteVolumeRequest.newBuilder()
                        .setVolumeId(peer)
                        .putAllSecrets(west.secrets())
                        .build()));
  }

  /** The peer id a test never asked for: the destination if the driver still says, else the id. */
  private String cleanupPeer(String id) {
    if (!profile.claims(Capability.REPLICATION_DESTINATION_INFO)) {
      return id;
    }
    try {
      String peer =
          east.stubs()
              .replication()
              .getReplicationDestinationInfo(destinationRequest(east, id))
              .getReplicationDestination()
              .getVolume()
              .getVolumeId();
      return peer.isBlank() ? id : peer;
    } catch (StatusRuntimeException e) {
      return id;
    }
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
}
