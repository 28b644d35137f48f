package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.link.DeltaStream;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.link.PeerUnreachableException;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.EnsureReplicasRequest;
import dev.replcert.refdriver.link.proto.GroupSpec;
import dev.replcert.refdriver.link.proto.ReplicaSpec;
import dev.replcert.refdriver.link.proto.Role;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.replication.Outcome.Kind;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.PointInTimeView;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.SyncPoint;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeMeta;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's sync cycle. For a unit (a volume, or a group's members): ask the peer what it holds,
 * create missing replicas, refuse to ship into a split-brain or a diverged replica, then freeze the
 * members at one instant (all their I/O locks at once), stream the frozen blocks, and on the peer's
 * acknowledgement record the new sync point; on any failure the shipped blocks count as changed
 * again and the next period retries.
 */
public final class Replicator {

  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

  /** A scheduled sync gives up after this long (the next period retries). */
  static final Duration SHIP_TIMEOUT = Duration.ofMinutes(10);

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final DriverOptions options;
  private final SiteStore store;
  private final PeerLink link;
  private final DeltaSender sender;
  private final Map<String, UnitState> units = new ConcurrentHashMap<>();
  /** Highest seq issued per volume and epoch in this run: a lost acknowledgement is recognised. */
  private final Map<String, Long> issued = new ConcurrentHashMap<>();

  private Instant lastFreeze = Instant.EPOCH;

  public Replicator(DriverOptions options, SiteStore store, PeerLink link) {
    this.options = options;
    this.store = store;
    this.link = link;
    this.sender = new DeltaSender(options.has(Defect.CORRUPT_BLOCK_IN_TRANSFER));
  }

  /** Where the last shipped sync of a unit spent its time in this run (empty before the first). */
  public Map<String, Duration> lastPhases(String key) {
    return state(key).phases;
  }

  UnitState state(String key) {
    return units.computeIfAbsent(key, k -> new UnitState());
  }

  /** Forgets what this run learned about a unit (after a role change its story starts over). */
  void reset(String key) {
    units.remove(key);
  }

  /**
   * A scheduled or requested sync of a unit. Skips when the unit is paused or another operation
   * holds a member (it then runs again as soon as that one ends).
   *
   * @return true when the sync failed (the scheduler retries it soon)
   */
  public boolean runScheduled(String key) {
    UnitState state = state(key);
    boolean failed = false;
    do {
      state.rerun.set(false);
      Unit unit = Unit.resolve(store, key);
      if (unit == null || unit.primaries().isEmpty()) {
        return false;
      }
      if (options.has(Defect.REPLICATION_STOPS_SILENTLY) && state.shipped >= 3) {
        return false; // the defect: nothing ships any more, the last status stands
      }
      boolean paused = unit.paused() && !options.has(Defect.PAUSE_NOT_PAUSING);
      List<Volume> members = unit.primaries();
      List<ReentrantLock> locks = Locks.repl(members);
      if (!Locks.tryAll(locks)) {
        state.rerun.set(true); // a sync in flight runs again; any other operation: retry soon
        return true;
      }
      try {
        if (paused) {
          probe(unit, members); // ships nothing, but still notices a split-brain
        } else {
          failed = !sync(unit, members, Instant.now().plus(SHIP_TIMEOUT)).shipped();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        Locks.unlockAll(locks);
      }
    } while (state.rerun.get() && !Thread.currentThread().isInterrupted());
    return failed;
  }

  /**
   * One sync of {@code members} (primary volumes of {@code unit}), finished before {@code
   * deadline}. The caller holds the members' replication locks.
   */
  public Outcome sync(Unit unit, List<Volume> members, Instant deadline) throws InterruptedException {
    Outcome outcome = attempt(unit, members, deadline);
    if (!outcome.shipped() && Instant.now().isAfter(deadline)) {
      outcome = Outcome.of(Kind.DEADLINE, "the sync did not finish before its deadline: " + outcome.message());
    }
    state(unit.key()).record(outcome);
    if (!outcome.shipped()) {
      LOG.debug("{}: sync of {} not shipped: {}", options.site(), unit.key(), outcome);
    }
    return outcome;
  }

  /**
   * A paused unit's cycle: only asks the peer what it holds, so a split-brain is reported even
   * while nothing ships. Keeps the last sync outcome otherwise.
   */
  private void probe(Unit unit, List<Volume> members) {
    try {
      Map<String, VolumeState> peer =
          byId(link.getState(members.stream().map(Volume::id).toList(), CALL_TIMEOUT).getVolumesList());
      Outcome refusal = refusal(members, peer);
      if (refusal != null && refusal.kind() == Kind.SPLIT_BRAIN) {
        state(unit.key()).record(refusal);
      }
    } catch (PeerUnreachableException | StatusRuntimeException e) {
      // the heartbeat reports it
    }
  }

  private Outcome attempt(Unit unit, List<Volume> members, Instant deadline) throws InterruptedException {
    Outcome known = fromLastAck(unit, members, deadline);
    if (known != null && (known.shipped() || Instant.now().isAfter(deadline))) {
      return known;
    }
    SyncPhases phases = new SyncPhases();
    List<String> ids = members.stream().map(Volume::id).toList();
    Map<String, VolumeState> peer;
    try {
      peer = byId(link.getState(ids, timeout(deadline)).getVolumesList());
      if (needsReplicas(unit, members, peer)) {
        peer = byId(link.ensureReplicas(replicas(unit, members), timeout(deadline)).getVolumesList());
      }
    } catch (PeerUnreachableException e) {
      if (e.timedOut() && Duration.between(Instant.now(), deadline).compareTo(CALL_TIMEOUT) < 0) {
        return Outcome.of(Kind.DEADLINE, "the peer did not answer before the deadline");
      }
      return Outcome.of(Kind.UNREACHABLE, "peer site unreachable: " + link.problem());
    } catch (StatusRuntimeException e) {
      return Outcome.of(Kind.FAILED, "the peer site refused to set up the replica: " + e.getStatus().getDescription());
    }
    Outcome refusal = refusal(members, peer);
    if (refusal != null) {
      return refusal;
    }
    List<Boolean> full = plan(members, peer);
    phases.lap("state");
    Outcome outcome = ship(unit, members, full, deadline, phases);
    if (outcome.shipped()) {
      state(unit.key()).phases = phases.durations();
    }
    return outcome;
  }

  /**
   * A sync that skips GetState (a round trip, and the larger part of a small delta's time on a busy
   * machine) because the peer's acknowledgement of the previous sync already said what GetState
   * would: a clean secondary at this primary's sync point. Should the peer have changed since
   * (promoted, restarted elsewhere, asked for a resync, lost the replica), its admission check
   * rejects the delta or the connection fails, and the caller goes the long way, which asks the
   * peer and reports precisely. Null when the last acknowledgement does not allow it.
   */
  private Outcome fromLastAck(Unit unit, List<Volume> members, Instant deadline) throws InterruptedException {
    UnitState state = state(unit.key());
    Map<String, VolumeState> peer = state.peerAfterAck;
    state.peerAfterAck = null;
    if (peer == null || refusal(members, peer) != null || needsReplicas(unit, members, peer)) {
      return null;
    }
    List<Boolean> full = new ArrayList<>();
    for (Volume volume : members) {
      VolumeState theirs = peer.get(volume.id());
      SyncPoint point = LinkProtos.point(theirs.hasSyncPoint(), theirs.getSyncPoint());
      if (volume.mapsLost() || theirs.getResyncRequested() || point == null || !point.sameAs(volume.meta().syncPoint)) {
        return null;
      }
      full.add(false);
    }
    SyncPhases phases = new SyncPhases();
    phases.lap("state");
    Outcome outcome = ship(unit, members, full, deadline, phases);
    if (outcome.shipped()) {
      state.phases = phases.durations();
    } else {
      LOG.debug("{}: sync of {} from the last acknowledgement not shipped ({}); asking the peer", options.site(), unit.key(), outcome);
    }
    return outcome;
  }

  /** Why the peer must not receive a sync now, or null. */
  private static Outcome refusal(List<Volume> members, Map<String, VolumeState> peer) {
    for (Volume volume : members) {
      VolumeState state = peer.get(volume.id());
      long epoch = volume.meta().epoch;
      if (state == null || !state.getExists()) {
        return Outcome.of(Kind.FAILED, "no replica of volume " + volume.id() + " on the peer site");
      }
      if (state.getRole() == Role.ROLE_PRIMARY) {
        if (state.getEpoch() >= epoch) {
          return Outcome.of(
              Kind.SPLIT_BRAIN,
              "split-brain: the peer site is also primary for volume " + volume.id() + " at epoch " + state.getEpoch()
                  + " (this site: epoch " + epoch + "); demote and resync this site");
        }
        return Outcome.of(
            Kind.PEER_PRIMARY_OLDER,
            "the peer site is still primary for volume " + volume.id() + " at the older epoch " + state.getEpoch()
                + "; demote and resync it");
      }
      if (state.getEpoch() > epoch) {
        return Outcome.of(
            Kind.SPLIT_BRAIN,
            "split-brain: the peer site holds volume " + volume.id() + " at epoch " + state.getEpoch()
                + ", newer than this primary's epoch " + epoch);
      }
      if (state.getRole() != Role.ROLE_SECONDARY) {
        return Outcome.of(Kind.PEER_NOT_REPLICATING, "replication of volume " + volume.id() + " is disabled on the peer site");
      }
      if (state.getDivergent() && !state.getResyncRequested()) {
        return Outcome.of(
            Kind.PEER_NEEDS_RESYNC,
            "peer needs resync: its replica of volume " + volume.id() + " diverged (demoted without a final sync)");
      }
    }
    return null;
  }

  /**
   * Per member: whether the sync must be full (no common point, lost block maps, a resync asked
   * for), after adopting the peer's point when it is one this run shipped but never heard back of.
   */
  private List<Boolean> plan(List<Volume> members, Map<String, VolumeState> peer) {
    List<Boolean> full = new ArrayList<>();
    for (Volume volume : members) {
      VolumeState state = peer.get(volume.id());
      SyncPoint theirs = LinkProtos.point(state.hasSyncPoint(), state.getSyncPoint());
      VolumeMeta meta = volume.meta();
      if (theirs != null && !theirs.sameAs(meta.syncPoint) && lostAck(volume, theirs)) {
        LOG.info("{}: volume {} applied {} without acknowledging it; continuing from there", options.site(), volume.id(), theirs);
        volume.updateMeta(m -> m.syncPoint = theirs);
      }
      full.add(
          volume.mapsLost()
              || state.getResyncRequested()
              || theirs == null
              || !theirs.sameAs(volume.meta().syncPoint));
    }
    return full;
  }

  /**
   * The peer holds a point of this primary's current epoch that this run issued and is not older
   * than the acknowledged one: its acknowledgement was lost. Since unacknowledged blocks count as
   * changed again, the next delta from that point is complete.
   */
  private boolean lostAck(Volume volume, SyncPoint theirs) {
    VolumeMeta meta = volume.meta();
    Long highest = issued.get(volume.id() + "@" + meta.epoch);
    boolean newerThanAcked =
        meta.syncPoint == null || meta.syncPoint.epoch() < meta.epoch || theirs.seq() > meta.syncPoint.seq();
    return theirs.epoch() == meta.epoch && highest != null && theirs.seq() <= highest && newerThanAcked;
  }

  /** How long GROUP_MEMBERS_INCONSISTENT lets pass between freezing two members. */
  private static final Duration MEMBER_FREEZE_GAP = Duration.ofMillis(50);

  private Outcome ship(Unit unit, List<Volume> members, List<Boolean> full, Instant deadline, SyncPhases phases)
      throws InterruptedException {
    boolean oneByOne = options.has(Defect.GROUP_MEMBERS_INCONSISTENT) && members.size() > 1;
    List<PointInTimeView> views = new ArrayList<>(members.size());
    List<SyncPoint> targets = new ArrayList<>(members.size());
    Instant time;
    if (oneByOne) {
      time = freezeTime(); // the defect: each member is frozen only when its turn to ship comes
    } else {
      List<ReentrantLock> ioLocks = Locks.io(members);
      Locks.lockAll(ioLocks);
      try {
        time = freezeTime();
        for (int i = 0; i < members.size(); i++) {
          views.add(members.get(i).freeze(full.get(i), time));
        }
      } finally {
        Locks.unlockAll(ioLocks);
      }
    }
    phases.lap("freeze");
    long started = System.nanoTime();
    boolean acknowledged = false;
    try {
      DeltaHeader.Builder header =
          DeltaHeader.newBuilder()
              .setSite(options.site())
              .setDeltaId(UUID.randomUUID().toString())
              .setBlockSize(Blocks.SIZE);
      if (unit.group() != null) {
        header.setGroupId(unit.group().id());
      }
      for (int i = 0; i < members.size(); i++) {
        Volume volume = members.get(i);
        VolumeMeta meta = volume.meta();
        long seq = Math.max(meta.seq, issued.getOrDefault(volume.id() + "@" + meta.epoch, 0L)) + 1;
        issued.put(volume.id() + "@" + meta.epoch, seq);
        SyncPoint target = new SyncPoint(meta.epoch, seq, time);
        targets.add(target);
        VolumeDelta.Builder delta =
            VolumeDelta.newBuilder()
                .setVolumeId(volume.id())
                .setTarget(LinkProtos.point(target))
                .setFull(full.get(i))
                .setCapacityBytes(volume.capacity());
        if (meta.syncPoint != null) {
          delta.setBase(LinkProtos.point(meta.syncPoint));
        }
        header.addVolumes(delta);
      }
      DeltaStream stream = link.openDelta(deadline);
      phases.lap("open");
      DeltaSender.Sent sent;
      try {
        sent =
            sender.ship(
                stream,
                header.build(),
                members,
                i -> {
                  if (i == views.size()) {
                    if (i > 0) {
                      // over a real link the previous member's blocks take a while to ship; over
                      // loopback that is microseconds, and writes inverted between two members'
                      // points in time would be too rare for the defect to show reliably
                      java.util.concurrent.locks.LockSupport.parkNanos(MEMBER_FREEZE_GAP.toNanos());
                    }
                    Volume member = members.get(i);
                    member.ioLock().lock();
                    try {
                      views.add(member.freeze(full.get(i), freezeTime()));
                    } finally {
                      member.ioLock().unlock();
                    }
                  }
                  return views.get(i);
                },
                oneByOne);
      } catch (RuntimeException | InterruptedException e) {
        stream.cancel("sender failed: " + e);
        throw e;
      }
      phases.lap("send");
      DeltaAck ack = stream.finish();
      phases.lap("ack");
      ack.getPhaseNanosMap().forEach((phase, n) -> phases.add("peer." + phase, n));
      if (!ack.getApplied()) {
        return rejected(ack);
      }
      if (!sent.complete()) {
        return Outcome.of(Kind.FAILED, "the peer acknowledged an incomplete delta");
      }
      acknowledged = true;
      state(unit.key()).peerAfterAck = byId(ack.getVolumesList());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      // this site's record of the sync is durable before the status shows it: a crash must never
      // make last_sync_time go backwards (a crash before this point leaves the older point, never
      // shown as passed, and the next sync starts over from what the peer reports)
      for (int i = 0; i < members.size(); i++) {
        SyncPoint target = targets.get(i);
        members.get(i)
            .recordMeta(
                m -> {
                  m.syncPoint = target;
                  m.seq = target.seq();
                  m.lastSyncDuration = took;
                  m.lastSyncBytes = sent.dataBytes();
                  m.syncCount++;
                  if (m.firstSyncTime == null) {
                    m.firstSyncTime = target.snapshotTime();
                  }
                });
      }
      phases.lap("record");
      return Outcome.of(Kind.SHIPPED, "shipped " + sent.blocks() + " blocks (" + sent.dataBytes() + " bytes) in " + took);
    } catch (PeerUnreachableException e) {
      if (e.timedOut()) {
        return Outcome.of(Kind.DEADLINE, "the sync did not finish before its deadline");
      }
      return Outcome.of(Kind.UNREACHABLE, "peer site unreachable during the sync: " + e.getMessage());
    } catch (StatusRuntimeException e) {
      return Outcome.of(Kind.FAILED, "the sync failed: " + e.getStatus());
    } catch (RuntimeException e) {
      LOG.warn("{}: sync of {} failed", options.site(), unit.key(), e);
      return Outcome.of(Kind.FAILED, "the sync failed: " + e);
    } finally {
      for (int i = 0; i < views.size(); i++) {
        members.get(i).finishView(views.get(i), acknowledged);
      }
      phases.lap("finish");
    }
  }

  private static Outcome rejected(DeltaAck ack) {
    return switch (ack.getReject()) {
      case REJECT_DIVERGENT -> Outcome.of(Kind.PEER_NEEDS_RESYNC, "peer needs resync: " + ack.getMessage());
      case REJECT_NOT_SECONDARY -> Outcome.of(Kind.SPLIT_BRAIN, "split-brain: " + ack.getMessage());
      default -> Outcome.of(Kind.REJECTED, "the peer rejected the sync (" + ack.getReject() + "): " + ack.getMessage());
    };
  }

  /** Freeze instants never repeat nor go backwards, whatever the wall clock does. */
  private synchronized Instant freezeTime() {
    Instant now = Instant.now();
    if (!now.isAfter(lastFreeze)) {
      now = lastFreeze.plusNanos(1_000);
    }
    lastFreeze = now;
    return now;
  }

  private static boolean needsReplicas(Unit unit, List<Volume> members, Map<String, VolumeState> peer) {
    for (Volume volume : members) {
      VolumeState state = peer.get(volume.id());
      if (state == null || !state.getExists() || state.getRole() == Role.ROLE_NONE) {
        return true;
      }
      if (unit.group() != null && !unit.group().id().equals(state.getGroupId())) {
        return true;
      }
    }
    return false;
  }

  private EnsureReplicasRequest replicas(Unit unit, List<Volume> members) {
    EnsureReplicasRequest.Builder request = EnsureReplicasRequest.newBuilder().setSite(options.site());
    for (Volume volume : members) {
      request.addVolumes(
          ReplicaSpec.newBuilder()
              .setVolumeId(volume.id())
              .setName(volume.meta().name)
              .setCapacityBytes(volume.capacity()));
    }
    if (unit.group() != null) {
      request.setGroup(
          GroupSpec.newBuilder()
              .setGroupId(unit.group().id())
              .setName(unit.group().name())
              .addAllVolumeIds(unit.volumes().stream().map(Volume::id).toList()));
    }
    return request.build();
  }

  private static Map<String, VolumeState> byId(List<VolumeState> states) {
    return Targets.byId(states);
  }

  /** A call's timeout: the usual one, or what is left before {@code deadline} if less. */
  static Duration timeout(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      return Duration.ofMillis(1);
    }
    return left.compareTo(CALL_TIMEOUT) < 0 ? left : CALL_TIMEOUT;
  }

  /** Creates the peer's replicas right away (enable), without waiting for the first sync. */
  public void ensureReplicasNow(Unit unit, List<Volume> members) {
    try {
      link.ensureReplicas(replicas(unit, members), CALL_TIMEOUT);
    } catch (PeerUnreachableException | StatusRuntimeException e) {
      LOG.info("{}: replicas of {} not created yet: {}", options.site(), unit.key(), e.getMessage());
    }
  }
}
