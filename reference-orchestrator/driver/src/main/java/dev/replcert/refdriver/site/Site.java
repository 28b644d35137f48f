package dev.replcert.refdriver.site;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.LinkServer;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.replication.DeltaApplier;
import dev.replcert.refdriver.replication.Enablement;
import dev.replcert.refdriver.replication.Pausing;
import dev.replcert.refdriver.replication.ReplicaEndpoint;
import dev.replcert.refdriver.replication.Replicator;
import dev.replcert.refdriver.replication.RoleChanges;
import dev.replcert.refdriver.replication.SyncScheduler;
import dev.replcert.refdriver.replication.Unit;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeMeta;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One site of the reference driver: volumes as sparse files with changed-block tracking, a data
 * path through publication handles, and snapshot-based asynchronous replication to the peer site
 * over a TCP link (RBD snapshot mirroring is the model). See {@link SiteApi} for the contract.
 *
 * <p>{@link #start} loads (or creates) the site root, finishes or discards syncs a previous run
 * left half-applied, serves the replication link and starts the sync scheduler. The peer is
 * contacted lazily and may be down.
 */
public final class Site implements SiteApi {

  private final DriverOptions options;
  private final SiteStore store;
  private final PeerLink link;
  private final Replicator replicator;
  private final SyncScheduler scheduler;
  private final Enablement enablement;
  private final RoleChanges roles;
  private final Pausing pausing;
  private final Fences fences;
  private final FenceSharing fenceSharing;
  private final DataPath dataPath;
  private final Snapshots snapshots;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private LinkServer linkServer;
  private ReplicaEndpoint endpoint;

  private Site(DriverOptions options, SiteStore store) {
    this.options = options;
    this.store = store;
    this.link = new PeerLink(options.site(), options.peer());
    this.replicator = new Replicator(options, store, link);
    this.scheduler = new SyncScheduler(options.site(), replicator::runScheduled, () -> Unit.desired(store, options));
    this.enablement = new Enablement(store, link, replicator, scheduler);
    this.roles = new RoleChanges(options, store, link, replicator, scheduler, closedLatch);
    this.pausing = new Pausing(options, store, link, replicator, scheduler);
    this.fences = new Fences(options, store);
    this.fenceSharing = new FenceSharing(options, fences, link);
    this.dataPath = new DataPath(options, store, fences);
    this.snapshots = new Snapshots(store);
  }

  /** Starts a site on {@code options.root()} (created if missing; resumed if it holds a site). */
  public static Site start(DriverOptions options) {
    SiteStore store = SiteStore.open(options.root());
    DeltaApplier applier = new DeltaApplier(store, options);
    applier.recover();
    Site site = new Site(options, store);
    try {
      site.endpoint = new ReplicaEndpoint(options, store, applier, site.scheduler::trigger, site.scheduler::reconcile,
          site.fenceSharing::receive);
      site.linkServer = LinkServer.start(options.site(), options.listen(), site.endpoint);
      // before the site serves a client: a site that was down learns a fence set meanwhile
      site.fenceSharing.start();
      site.scheduler.reconcile();
      site.scheduler.startHeartbeat(
          site.link, options.syncPeriod() != null ? options.syncPeriod() : Duration.ofSeconds(1));
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
    return site;
  }

  /** Where this site's end of the replication link listens (the real port when 0 was asked). */
  public InetSocketAddress linkAddress() {
    return linkServer.address();
  }

  @Override
  public String site() {
    return options.site();
  }

  // ---------------------------------------------------------------- volumes

  @Override
  public VolumeInfo createVolume(String name, long capacityBytes, Map<String, String> parameters) {
    open();
    if (name == null || name.isBlank()) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "volume name missing");
    }
    if (capacityBytes <= 0) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "capacity must be positive");
    }
    String id = Ids.volume(name);
    synchronized (store) {
      Volume existing = store.volume(id);
      if (existing != null) {
        if (existing.capacity() != capacityBytes) {
          throw new DriverException(
              ErrorCode.ALREADY_EXISTS,
              "volume " + name + " exists with " + existing.capacity() + " bytes, not " + capacityBytes);
        }
        if (existing.meta().released) {
          existing.updateMeta(m -> m.released = false);
        }
        return info(existing);
      }
      VolumeMeta meta = new VolumeMeta();
      meta.id = id;
      meta.name = name;
      meta.capacityBytes = capacityBytes;
      meta.blockSize = Blocks.SIZE;
      meta.createdAt = Instant.now();
      if (parameters != null) {
        meta.parameters.putAll(parameters);
      }
      return info(store.createVolume(meta));
    }
  }

  @Override
  public void deleteVolume(String volumeId) {
    open();
    synchronized (store) {
      Volume volume = store.volume(volumeId);
      if (volume == null) {
        return;
      }
      VolumeMeta meta = volume.meta();
      if (!meta.publications.isEmpty()) {
        throw new DriverException(
            ErrorCode.FAILED_PRECONDITION, "volume " + volumeId + " is published at " + meta.publications.keySet());
      }
      if (meta.replicated() && meta.role == VolumeInfo.Role.SECONDARY) {
        // the peer's replica is not this site's to destroy (see VolumeMeta.released)
        if (!meta.released) {
          volume.updateMeta(m -> m.released = true);
        }
        return;
      }
      if (meta.replicated()) {
        throw new DriverException(
            ErrorCode.FAILED_PRECONDITION, "volume " + volumeId + " is replicated; disable replication first");
      }
      store.groupOf(volumeId)
          .ifPresent(g -> store.putGroup(g.withVolumeIds(g.volumeIds().stream().filter(v -> !v.equals(volumeId)).toList())));
      dataPath.forget(volumeId);
      store.deleteVolume(volumeId);
    }
  }

  @Override
  public VolumeInfo volume(String volumeId) {
    return info(store.requireVolume(volumeId));
  }

  @Override
  public List<VolumeInfo> listVolumes() {
    return store.volumes().stream()
        .filter(v -> !v.meta().released)
        .map(this::info)
        .sorted(Comparator.comparing(VolumeInfo::volumeId)).toList();
  }

  @Override
  public SnapshotInfo createSnapshot(String sourceVolumeId, String name) {
    open();
    return snapshots.create(sourceVolumeId, name);
  }

  @Override
  public void deleteSnapshot(String snapshotId) {
    open();
    snapshots.delete(snapshotId);
  }

  // ---------------------------------------------------------------- data path

  @Override
  public Publication publish(String volumeId, String nodeId, String targetPath, boolean readOnly) {
    open();
    return dataPath.publish(volumeId, nodeId, targetPath, readOnly);
  }

  @Override
  public void unpublish(String volumeId, String targetPath) {
    open();
    dataPath.unpublish(volumeId, targetPath);
  }

  @Override
  public byte[] read(String handle, long offset, int length) {
    open();
    return dataPath.read(handle, offset, length);
  }

  @Override
  public void write(String handle, long offset, byte[] data) {
    open();
    dataPath.write(handle, offset, Objects.requireNonNull(data, "data"));
  }

  @Override
  public void flush(String handle) {
    open();
    dataPath.flush(handle);
  }

  // ---------------------------------------------------------------- replication

  @Override
  public void enableReplication(Target target, Map<String, String> parameters) {
    open();
    enablement.enable(target, parameters);
  }

  @Override
  public void disableReplication(Target target) {
    open();
    enablement.disable(target);
  }

  @Override
  public void promote(Target target, boolean force) {
    open();
    roles.promote(target, force);
  }

  @Override
  public void demote(Target target, Instant deadline) {
    open();
    roles.demote(target, deadline);
  }

  @Override
  public boolean resync(Target target, boolean force) {
    open();
    return roles.resync(target, force);
  }

  @Override
  public ReplicationStatus replicationStatus(Target target) {
    open();
    return pausing.status(target);
  }

  /**
   * Where the last sync of a primary target shipped in this run spent its time, phase by phase
   * (the receiver's phases prefixed {@code peer.}); empty before the first. Diagnostics.
   */
  public Map<String, Duration> lastSyncPhases(Target target) {
    open();
    return pausing.lastSyncPhases(target);
  }

  /**
   * Starts a sync of a primary target now, besides its schedule (the benchmark times one from
   * here); returns at once.
   */
  public void syncNow(Target target) {
    open();
    pausing.syncNow(target);
  }

  @Override
  public void pause(Target target) {
    open();
    pausing.pause(target, true);
  }

  @Override
  public void resume(Target target) {
    open();
    pausing.pause(target, false);
  }

  @Override
  public boolean paused(Target target) {
    return pausing.paused(target);
  }

  // ---------------------------------------------------------------- volume groups

  @Override
  public VolumeGroupInfo createGroup(String name, List<String> volumeIds, Map<String, String> parameters) {
    open();
    if (name == null || name.isBlank()) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "volume group name missing");
    }
    String id = Ids.group(name);
    List<String> members = distinct(volumeIds);
    synchronized (store) {
      GroupMeta existing = store.group(id);
      if (existing != null) {
        if (!Set.copyOf(existing.volumeIds()).equals(Set.copyOf(members))) {
          throw new DriverException(
              ErrorCode.ALREADY_EXISTS, "volume group " + name + " exists with volumes " + existing.volumeIds());
        }
        if (existing.released()) {
          // a restored VolumeGroupReplicationContent's group: a CSI group here again
          existing = existing.withReleased(false);
          store.putGroup(existing);
        }
        return groupInfo(existing);
      }
      checkMembers(id, members);
      GroupMeta group =
          new GroupMeta(id, name, members, parameters, VolumeInfo.Role.NONE, null, false, Instant.now(), false);
      store.putGroup(group);
      return groupInfo(group);
    }
  }

  @Override
  public VolumeGroupInfo modifyGroup(String groupId, List<String> volumeIds) {
    open();
    List<String> members = distinct(volumeIds);
    GroupMeta updated;
    List<Volume> added = new ArrayList<>();
    List<Volume> removed = new ArrayList<>();
    synchronized (store) {
      GroupMeta group = requireGroup(groupId);
      checkMembers(groupId, members);
      members.stream().filter(id -> !group.volumeIds().contains(id)).map(store::volume).forEach(added::add);
      group.volumeIds().stream()
          .filter(id -> !members.contains(id))
          .map(store::volume)
          .filter(Objects::nonNull)
          .forEach(removed::add);
      // a released replica group named by a restored VolumeGroupReplicationContent (the move back
      // calls Modify, not Create, for a content that has a handle): a CSI group here again
      updated = group.withVolumeIds(members).withReleased(false);
      store.putGroup(updated);
    }
    enablement.membersChanged(updated, added, removed);
    return groupInfo(store.group(groupId));
  }

  @Override
  public void deleteGroup(String groupId) {
    open();
    synchronized (store) {
      GroupMeta group = store.group(groupId);
      if (group == null) {
        return;
      }
      if (group.role() == VolumeInfo.Role.SECONDARY) {
        // the peer's replica group is not this site's to destroy (see GroupMeta.released): it keeps
        // its members and its syncs, for the move back
        if (!group.released()) {
          store.putGroup(group.withReleased(true));
        }
        return;
      }
      if (group.replicated()) {
        throw new DriverException(
            ErrorCode.FAILED_PRECONDITION, "volume group " + groupId + " is replicated; disable replication first");
      }
      store.deleteGroup(groupId);
    }
    scheduler.reconcile();
  }

  /**
   * Answers for a released group too, as {@link #volume} does for a released volume: the group is
   * still here and replicating (GetVolumeReplicationInfo and the move back's Modify look it up);
   * only listing hides it.
   */
  @Override
  public VolumeGroupInfo group(String groupId) {
    return groupInfo(requireGroup(groupId));
  }

  @Override
  public List<VolumeGroupInfo> listGroups() {
    return store.groups().stream()
        .filter(g -> !g.released())
        .map(this::groupInfo)
        .sorted(Comparator.comparing(VolumeGroupInfo::groupId))
        .toList();
  }

  // ---------------------------------------------------------------- network fence

  @Override
  public void fence(List<String> cidrs) {
    open();
    fences.fence(cidrs);
    fenceSharing.exchange();
  }

  @Override
  public void unfence(List<String> cidrs) {
    open();
    fences.unfence(cidrs);
    fenceSharing.exchange();
  }

  @Override
  public List<String> fencedCidrs() {
    return fences.fenced();
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public boolean peerReachable() {
    return link.reachable();
  }

  /**
   * Stops the link (syncs in flight fail and are retried after a restart; a half-received delta is
   * discarded), the scheduler and its threads, and closes the volumes with their block maps saved.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closedLatch.countDown();
    fenceSharing.close();
    link.close();
    scheduler.close();
    if (linkServer != null) {
      linkServer.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    store.close();
  }

  // ---------------------------------------------------------------- helpers

  private void open() {
    if (closed.get()) {
      throw new DriverException(ErrorCode.UNAVAILABLE, "site " + options.site() + " is closed");
    }
  }

  private VolumeInfo info(Volume volume) {
    VolumeMeta meta = volume.meta();
    String group = store.groupOf(volume.id()).map(GroupMeta::id).orElse(null);
    return new VolumeInfo(
        volume.id(),
        meta.name,
        meta.capacityBytes,
        meta.role,
        group,
        Map.of("site", options.site(), "blockSize", Integer.toString(meta.blockSize)));
  }

  private VolumeGroupInfo groupInfo(GroupMeta group) {
    List<VolumeInfo> volumes =
        group.volumeIds().stream().map(store::volume).filter(Objects::nonNull).map(this::info).toList();
    return new VolumeGroupInfo(group.id(), group.name(), volumes, Map.of("site", options.site()));
  }

  private GroupMeta requireGroup(String groupId) {
    GroupMeta group = groupId == null ? null : store.group(groupId);
    if (group == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "volume group " + groupId + " not found");
    }
    return group;
  }

  /** Every member exists and belongs to no other group (one group per volume). */
  private void checkMembers(String groupId, List<String> members) {
    for (String id : members) {
      store.requireVolume(id);
      store.groupOf(id)
          .filter(g -> !g.id().equals(groupId))
          .ifPresent(
              g -> {
                throw new DriverException(
                    ErrorCode.FAILED_PRECONDITION, "volume " + id + " already belongs to volume group " + g.id());
              });
    }
  }

  private static List<String> distinct(List<String> ids) {
    return ids == null ? List.of() : List.copyOf(new LinkedHashSet<>(ids));
  }
}
