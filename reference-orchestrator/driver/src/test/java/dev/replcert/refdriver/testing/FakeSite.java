package dev.replcert.refdriver.testing;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.Publication;
import dev.replcert.refdriver.site.ReplicationStatus;
import dev.replcert.refdriver.site.SiteApi;
import dev.replcert.refdriver.site.SnapshotInfo;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeGroupInfo;
import dev.replcert.refdriver.site.VolumeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory {@link SiteApi} without a peer, for tests of the gRPC façade alone: it answers
 * deterministically and lets a test hold a demote ({@link #holdDemotes()}) or see the deadline the
 * façade passed ({@link #lastDemoteDeadline()}). Replication semantics are the engine's business
 * and are tested against the real {@code Site}.
 */
public final class FakeSite implements SiteApi {

  private final String site;
  private final Map<String, VolumeInfo> volumes = new ConcurrentHashMap<>();
  private final Map<String, byte[]> data = new ConcurrentHashMap<>();
  private final Map<String, Publication> publications = new ConcurrentHashMap<>();
  private final Map<String, VolumeGroupInfo> groups = new ConcurrentHashMap<>();
  private final Map<String, SnapshotInfo> snapshots = new ConcurrentHashMap<>();
  private final Set<Target> paused = ConcurrentHashMap.newKeySet();
  private final List<String> fenced = new ArrayList<>();
  private final AtomicReference<CountDownLatch> demoteGate = new AtomicReference<>();
  private final AtomicReference<Instant> lastDemoteDeadline = new AtomicReference<>();
  private final AtomicInteger demotesWaiting = new AtomicInteger();
  private volatile boolean closed;

  public FakeSite(String site) {
    this.site = site;
  }

  /** Demotes block until the returned latch is released (or their deadline passes). */
  public CountDownLatch holdDemotes() {
    CountDownLatch gate = new CountDownLatch(1);
    demoteGate.set(gate);
    return gate;
  }

  /** Demotes currently held by {@link #holdDemotes()}. */
  public int demotesWaiting() {
    return demotesWaiting.get();
  }

  public Instant lastDemoteDeadline() {
    return lastDemoteDeadline.get();
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public VolumeInfo createVolume(String name, long capacityBytes, Map<String, String> parameters) {
    String id = "vol-" + name;
    VolumeInfo existing = volumes.get(id);
    if (existing != null) {
      if (existing.capacityBytes() != capacityBytes) {
        throw new DriverException(ErrorCode.ALREADY_EXISTS, "volume " + name + " exists with another capacity");
      }
      return existing;
    }
    VolumeInfo created = new VolumeInfo(id, name, capacityBytes, VolumeInfo.Role.NONE, null, Map.of("site", site));
    volumes.put(id, created);
    data.put(id, new byte[(int) Math.min(capacityBytes, 1 << 20)]);
    return created;
  }

  @Override
  public void deleteVolume(String volumeId) {
    volumes.remove(volumeId);
  }

  @Override
  public VolumeInfo volume(String volumeId) {
    VolumeInfo volume = volumes.get(volumeId);
    if (volume == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "volume " + volumeId + " not found");
    }
    return volume;
  }

  @Override
  public List<VolumeInfo> listVolumes() {
    return List.copyOf(volumes.values());
  }

  @Override
  public SnapshotInfo createSnapshot(String sourceVolumeId, String name) {
    VolumeInfo source = volume(sourceVolumeId);
    return snapshots.computeIfAbsent(
        "snap-" + name, id -> new SnapshotInfo(id, name, sourceVolumeId, source.capacityBytes(), Instant.now()));
  }

  @Override
  public void deleteSnapshot(String snapshotId) {
    snapshots.remove(snapshotId);
  }

  @Override
  public Publication publish(String volumeId, String nodeId, String targetPath, boolean readOnly) {
    VolumeInfo volume = volume(volumeId);
    if (!readOnly && volume.role() == VolumeInfo.Role.SECONDARY) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, "volume " + volumeId + " is secondary");
    }
    return publications.computeIfAbsent(
        targetPath, t -> new Publication("h-" + Math.abs(t.hashCode()), volumeId, nodeId, t, readOnly));
  }

  @Override
  public void unpublish(String volumeId, String targetPath) {
    publications.remove(targetPath);
  }

  private Publication handle(String handle) {
    return publications.values().stream()
        .filter(p -> p.handle().equals(handle))
        .findFirst()
        .orElseThrow(() -> new DriverException(ErrorCode.NOT_FOUND, "handle " + handle + " not found"));
  }

  @Override
  public byte[] read(String handle, long offset, int length) {
    byte[] bytes = data.get(handle(handle).volumeId());
    byte[] out = new byte[length];
    System.arraycopy(bytes, (int) offset, out, 0, length);
    return out;
  }

  @Override
  public void write(String handle, long offset, byte[] bytes) {
    Publication publication = handle(handle);
    if (publication.readOnly() || volume(publication.volumeId()).role() == VolumeInfo.Role.SECONDARY) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, "read-only");
    }
    System.arraycopy(bytes, 0, data.get(publication.volumeId()), (int) offset, bytes.length);
  }

  @Override
  public void flush(String handle) {
    handle(handle);
  }

  private void setRole(Target target, VolumeInfo.Role role) {
    for (String id : memberIds(target)) {
      VolumeInfo v = volume(id);
      volumes.put(id, new VolumeInfo(v.volumeId(), v.name(), v.capacityBytes(), role, v.groupId(), v.context()));
    }
  }

  private List<String> memberIds(Target target) {
    if (target.kind() == Target.Kind.VOLUME) {
      volume(target.id());
      return List.of(target.id());
    }
    return group(target.id()).volumes().stream().map(VolumeInfo::volumeId).toList();
  }

  private VolumeInfo.Role role(Target target) {
    List<String> ids = memberIds(target);
    return ids.isEmpty() ? VolumeInfo.Role.NONE : volume(ids.get(0)).role();
  }

  @Override
  public void enableReplication(Target target, Map<String, String> parameters) {
    if (role(target) == VolumeInfo.Role.NONE) {
      setRole(target, VolumeInfo.Role.PRIMARY);
    }
  }

  @Override
  public void disableReplication(Target target) {
    setRole(target, VolumeInfo.Role.NONE);
  }

  @Override
  public void promote(Target target, boolean force) {
    requireReplicated(target);
    setRole(target, VolumeInfo.Role.PRIMARY);
  }

  @Override
  public void demote(Target target, Instant deadline) {
    requireReplicated(target);
    lastDemoteDeadline.set(deadline);
    CountDownLatch gate = demoteGate.get();
    if (gate != null) {
      demotesWaiting.incrementAndGet();
      try {
        long millis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        if (!gate.await(millis, TimeUnit.MILLISECONDS)) {
          throw new DriverException(ErrorCode.DEADLINE_EXCEEDED, "final sync did not finish before the deadline");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DriverException(ErrorCode.ABORTED, "interrupted");
      } finally {
        demotesWaiting.decrementAndGet();
      }
    }
    setRole(target, VolumeInfo.Role.SECONDARY);
  }

  @Override
  public boolean resync(Target target, boolean force) {
    if (requireReplicated(target) == VolumeInfo.Role.PRIMARY) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, target + " is primary");
    }
    return true;
  }

  @Override
  public ReplicationStatus replicationStatus(Target target) {
    if (requireReplicated(target) != VolumeInfo.Role.PRIMARY) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, target + " is not primary");
    }
    return new ReplicationStatus(
        Instant.parse("2026-01-01T00:00:00.5Z"), Duration.ofMillis(250), 4096, ReplicationStatus.Health.DEGRADED, "no peer");
  }

  private VolumeInfo.Role requireReplicated(Target target) {
    VolumeInfo.Role role = role(target);
    if (role == VolumeInfo.Role.NONE) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, target + " is not replicated");
    }
    return role;
  }

  @Override
  public void pause(Target target) {
    requireReplicated(target);
    paused.add(target);
  }

  @Override
  public void resume(Target target) {
    paused.remove(target);
  }

  @Override
  public boolean paused(Target target) {
    return paused.contains(target);
  }

  @Override
  public VolumeGroupInfo createGroup(String name, List<String> volumeIds, Map<String, String> parameters) {
    String id = "group-" + name;
    return groups.computeIfAbsent(
        id, g -> new VolumeGroupInfo(g, name, volumeIds.stream().map(this::volume).toList(), Map.of()));
  }

  @Override
  public VolumeGroupInfo modifyGroup(String groupId, List<String> volumeIds) {
    VolumeGroupInfo group = group(groupId);
    VolumeGroupInfo modified =
        new VolumeGroupInfo(groupId, group.name(), volumeIds.stream().map(this::volume).toList(), group.context());
    groups.put(groupId, modified);
    return modified;
  }

  @Override
  public void deleteGroup(String groupId) {
    groups.remove(groupId);
  }

  @Override
  public VolumeGroupInfo group(String groupId) {
    VolumeGroupInfo group = groups.get(groupId);
    if (group == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "volume group " + groupId + " not found");
    }
    // members as they are now (roles change)
    return new VolumeGroupInfo(
        groupId, group.name(), group.volumes().stream().map(v -> volume(v.volumeId())).toList(), group.context());
  }

  @Override
  public List<VolumeGroupInfo> listGroups() {
    return groups.keySet().stream().map(this::group).toList();
  }

  @Override
  public synchronized void fence(List<String> cidrs) {
    cidrs.stream().filter(c -> !fenced.contains(c)).forEach(fenced::add);
  }

  @Override
  public synchronized void unfence(List<String> cidrs) {
    fenced.removeAll(cidrs);
  }

  @Override
  public synchronized List<String> fencedCidrs() {
    return List.copyOf(fenced);
  }

  @Override
  public boolean peerReachable() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
    CountDownLatch gate = demoteGate.get();
    if (gate != null) {
      gate.countDown();
    }
  }
}
