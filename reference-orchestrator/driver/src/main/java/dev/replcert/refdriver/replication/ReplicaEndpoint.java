package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.LinkHandler;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DropReleasedRequest;
import dev.replcert.refdriver.link.proto.DropReleasedResponse;
import dev.replcert.refdriver.link.proto.FenceState;
import dev.replcert.refdriver.link.proto.ShareFenceRequest;
import dev.replcert.refdriver.link.proto.ShareFenceResponse;
import dev.replcert.refdriver.link.proto.EnsureReplicasRequest;
import dev.replcert.refdriver.link.proto.EnsureReplicasResponse;
import dev.replcert.refdriver.link.proto.GetStateRequest;
import dev.replcert.refdriver.link.proto.GetStateResponse;
import dev.replcert.refdriver.link.proto.GroupSpec;
import dev.replcert.refdriver.link.proto.ReplicaSpec;
import dev.replcert.refdriver.link.proto.RequestResyncRequest;
import dev.replcert.refdriver.link.proto.RequestResyncResponse;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeMeta;
import io.grpc.stub.StreamObserver;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/** What this site does for its peer over the link: report, host replicas, receive syncs. */
public final class ReplicaEndpoint implements LinkHandler {

  private final DriverOptions options;
  private final SiteStore store;
  private final DeltaApplier applier;
  private final Consumer<String> trigger;
  private final Runnable scheduleChanged;
  private final ExecutorService journalSyncer;
  private final JournalSlots slots;
  /** Runs incremental syncs' checkpoints a little after their acknowledgement. */
  private final ScheduledExecutorService checkpointer;
  private final Function<ShareFenceRequest, FenceState> fenceSharing;

  /**
   * @param trigger runs a unit's sync now (a resync request)
   * @param scheduleChanged called when replicas or groups were created here
   * @param fenceSharing keeps the newer of the peer's and this site's fence, returns the one kept
   */
  public ReplicaEndpoint(
      DriverOptions options, SiteStore store, DeltaApplier applier, Consumer<String> trigger, Runnable scheduleChanged,
      Function<ShareFenceRequest, FenceState> fenceSharing) {
    this.fenceSharing = fenceSharing;
    this.options = options;
    this.store = store;
    this.applier = applier;
    this.trigger = trigger;
    this.scheduleChanged = scheduleChanged;
    this.journalSyncer =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("refdriver-" + options.site() + "-journal"));
    this.slots = new JournalSlots(store, journalSyncer);
    this.checkpointer =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("refdriver-" + options.site() + "-checkpoint"));
  }

  /** Stops the journal syncer (after the link server: no delta is being received any more). */
  public void close() {
    // checkpoints already scheduled still run (a few ms each); any left pending run when the
    // volumes close
    checkpointer.shutdown();
    journalSyncer.shutdownNow();
    try {
      checkpointer.awaitTermination(10, TimeUnit.SECONDS);
      journalSyncer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    slots.close();
  }

  @Override
  public String site() {
    return options.site();
  }

  @Override
  public GetStateResponse getState(GetStateRequest request) {
    GetStateResponse.Builder response = GetStateResponse.newBuilder().setSite(options.site());
    request.getVolumeIdsList().forEach(id -> response.addVolumes(LinkProtos.state(store, id)));
    return response.build();
  }

  /**
   * Creates the missing replicas as secondaries (same id, name, capacity; no sync point yet, so
   * the first delta is full) and makes the replica group hold exactly the primary's members.
   */
  @Override
  public EnsureReplicasResponse ensureReplicas(EnsureReplicasRequest request) {
    EnsureReplicasResponse.Builder response = EnsureReplicasResponse.newBuilder();
    synchronized (store) {
      for (ReplicaSpec spec : request.getVolumesList()) {
        ensureReplica(spec);
      }
      if (request.hasGroup()) {
        ensureGroup(request.getGroup());
      }
    }
    scheduleChanged.run();
    request.getVolumesList().forEach(spec -> response.addVolumes(LinkProtos.state(store, spec.getVolumeId())));
    return response.build();
  }

  private void ensureReplica(ReplicaSpec spec) {
    Volume volume = store.volume(spec.getVolumeId());
    if (volume == null) {
      VolumeMeta meta = new VolumeMeta();
      meta.id = spec.getVolumeId();
      meta.name = spec.getName();
      meta.capacityBytes = spec.getCapacityBytes();
      meta.blockSize = Blocks.SIZE;
      meta.createdAt = Instant.now();
      meta.role = VolumeInfo.Role.SECONDARY;
      store.createVolume(meta);
      return;
    }
    if (volume.capacity() != spec.getCapacityBytes()) {
      throw new DriverException(
          ErrorCode.FAILED_PRECONDITION,
          "volume " + volume.id() + " has " + volume.capacity() + " bytes here, the primary " + spec.getCapacityBytes());
    }
    if (volume.meta().role == VolumeInfo.Role.NONE) {
      // the same volume, not replicated here yet: it becomes the replica (its data is replaced)
      volume.updateMeta(
          m -> {
            m.role = VolumeInfo.Role.SECONDARY;
            m.syncPoint = null;
            m.divergent = false;
            m.resyncRequested = false;
          });
    }
  }

  private void ensureGroup(GroupSpec spec) {
    Set<String> members = new LinkedHashSet<>(spec.getVolumeIdsList());
    for (GroupMeta other : store.groups()) {
      if (!other.id().equals(spec.getGroupId()) && other.volumeIds().stream().anyMatch(members::contains)) {
        store.putGroup(other.withVolumeIds(other.volumeIds().stream().filter(id -> !members.contains(id)).toList()));
      }
    }
    GroupMeta group = store.group(spec.getGroupId());
    if (group == null) {
      group =
          new GroupMeta(
              spec.getGroupId(), spec.getName(), List.copyOf(members), null, VolumeInfo.Role.SECONDARY, null, false, Instant.now(),
              false);
    } else {
      group = group.withVolumeIds(List.copyOf(members));
      if (!group.replicated()) {
        group = group.withRole(VolumeInfo.Role.SECONDARY);
      }
    }
    store.putGroup(group);
  }

  @Override
  public StreamObserver<DeltaChunk> receiveDelta(StreamObserver<DeltaAck> acks) {
    return new DeltaReceiver(store, options, applier, journalSyncer, slots, checkpointer, acks);
  }

  /** A diverged secondary asks for its full resync: ship at once to the volumes' units. */
  @Override
  public RequestResyncResponse requestResync(RequestResyncRequest request) {
    Set<String> units = new LinkedHashSet<>();
    for (String id : request.getVolumeIdsList()) {
      Volume volume = store.volume(id);
      if (volume == null || volume.meta().role != VolumeInfo.Role.PRIMARY) {
        return RequestResyncResponse.newBuilder()
            .setAccepted(false)
            .setMessage("volume " + id + " is not primary on site " + options.site())
            .build();
      }
      units.add(Unit.keyFor(store, id));
    }
    units.forEach(trigger);
    return RequestResyncResponse.newBuilder().setAccepted(true).build();
  }

  @Override
  public ShareFenceResponse shareFence(ShareFenceRequest request) {
    return ShareFenceResponse.newBuilder().setState(fenceSharing.apply(request)).build();
  }

  /**
   * The primary disabled replication of these volumes: the replicas this site's CSI side already
   * deleted (released) go now; the others stay, as ordinary secondaries until disabled here too.
   * A released replica group goes too once the primary disabled every member it holds here (the
   * request names volumes only, and a group disable on the primary names all its members); its
   * members that were not released stay, as ordinary secondaries outside any group.
   */
  @Override
  public DropReleasedResponse dropReleased(DropReleasedRequest request) {
    DropReleasedResponse.Builder response = DropReleasedResponse.newBuilder();
    Set<String> disabled = Set.copyOf(request.getVolumeIdsList());
    boolean groupsDropped = false;
    synchronized (store) {
      for (GroupMeta group : store.groups()) {
        if (group.released()
            && group.role() == VolumeInfo.Role.SECONDARY
            && !group.volumeIds().isEmpty()
            && disabled.containsAll(group.volumeIds())) {
          store.deleteGroup(group.id());
          groupsDropped = true;
        }
      }
      for (String id : request.getVolumeIdsList()) {
        Volume volume = store.volume(id);
        if (volume != null && volume.meta().released && volume.meta().role == VolumeInfo.Role.SECONDARY) {
          store.groupOf(id)
              .ifPresent(g -> store.putGroup(g.withVolumeIds(g.volumeIds().stream().filter(v -> !v.equals(id)).toList())));
          store.deleteVolume(id);
          response.addDropped(id);
        }
      }
    }
    if (response.getDroppedCount() > 0 || groupsDropped) {
      scheduleChanged.run();
    }
    return response.build();
  }
}
