package dev.replcert.refdriver.site;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeMeta;
import dev.replcert.refdriver.storage.VolumeMeta.PublicationRecord;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publications and byte I/O through their handles. Every access is decided by the storage, as a
 * real array would: a secondary is read-only (also through handles published before its demote),
 * a demote in progress refuses new writes, a fenced client address gets nothing.
 */
final class DataPath {

  private static final int MAX_READ = 64 << 20;

  private final DriverOptions options;
  private final SiteStore store;
  private final Fences fences;
  private final Map<String, String> nodeAddresses = new ConcurrentHashMap<>();
  private final Map<String, Handle> handles = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** What a handle stands for. */
  private record Handle(String volumeId, String targetPath, PublicationRecord publication) {}

  DataPath(DriverOptions options, SiteStore store, Fences fences) {
    this.options = options;
    this.store = store;
    this.fences = fences;
    options.nodes().forEach(n -> nodeAddresses.put(n.id(), n.address()));
    for (Volume volume : store.volumes()) {
      volume.meta().publications.forEach((path, p) -> handles.put(p.handle(), new Handle(volume.id(), path, p)));
    }
  }

  Publication publish(String volumeId, String nodeId, String targetPath, boolean readOnly) {
    if (targetPath == null || targetPath.isBlank()) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "target path missing");
    }
    Volume volume = store.requireVolume(volumeId);
    String address = address(nodeId);
    checkFence(nodeId, address);
    synchronized (volume) {
      VolumeMeta meta = volume.meta();
      PublicationRecord existing = meta.publications.get(targetPath);
      if (existing != null) {
        if (existing.nodeId().equals(nodeId) && existing.readOnly() == readOnly) {
          return publication(volumeId, targetPath, existing);
        }
        throw new DriverException(
            ErrorCode.ALREADY_EXISTS, "volume " + volumeId + " is already published at " + targetPath + " differently");
      }
      boolean secondary = meta.role == VolumeInfo.Role.SECONDARY;
      if (!readOnly && secondary && !writableSecondary(meta, true)) {
        throw new DriverException(ErrorCode.FAILED_PRECONDITION, "volume " + volumeId + " is secondary (read-only)");
      }
      byte[] token = new byte[16];
      random.nextBytes(token);
      PublicationRecord record = new PublicationRecord(HexFormat.of().formatHex(token), nodeId, readOnly, secondary);
      volume.updateMeta(m -> m.publications.put(targetPath, record));
      handles.put(record.handle(), new Handle(volumeId, targetPath, record));
      return publication(volumeId, targetPath, record);
    }
  }

  void unpublish(String volumeId, String targetPath) {
    Volume volume = store.volume(volumeId);
    if (volume == null) {
      return;
    }
    synchronized (volume) {
      PublicationRecord record = volume.meta().publications.get(targetPath);
      if (record != null) {
        handles.remove(record.handle());
        volume.updateMeta(m -> m.publications.remove(targetPath));
      }
    }
  }

  /** Drops the handles of a deleted volume. */
  void forget(String volumeId) {
    handles.values().removeIf(h -> h.volumeId().equals(volumeId));
  }

  byte[] read(String handleId, long offset, int length) {
    Handle handle = handle(handleId);
    Volume volume = volumeOf(handle);
    if (length < 0 || length > MAX_READ) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "length must be between 0 and " + MAX_READ);
    }
    checkRange(volume, offset, length);
    return volume.read(offset, length, () -> checkFence(handle.publication().nodeId(), address(handle)));
  }

  void write(String handleId, long offset, byte[] data) {
    Handle handle = handle(handleId);
    Volume volume = volumeOf(handle);
    checkRange(volume, offset, data.length);
    volume.write(
        offset,
        data,
        () -> {
          checkFence(handle.publication().nodeId(), address(handle));
          if (handle.publication().readOnly()) {
            throw new DriverException(ErrorCode.FAILED_PRECONDITION, "the volume was published read-only");
          }
          VolumeMeta meta = volume.meta();
          if (meta.role == VolumeInfo.Role.SECONDARY && !writableSecondary(meta, handle.publication().publishedAsSecondary())) {
            throw new DriverException(ErrorCode.FAILED_PRECONDITION, "volume " + volume.id() + " is secondary (read-only)");
          }
          if (volume.demoting()) {
            throw new DriverException(
                ErrorCode.FAILED_PRECONDITION, "volume " + volume.id() + " is being demoted (read-only)");
          }
        });
  }

  void flush(String handleId) {
    Handle handle = handle(handleId);
    checkFence(handle.publication().nodeId(), address(handle));
    volumeOf(handle).flush();
  }

  /**
   * Whether a secondary accepts writes anyway: only under a defect. DEMOTE_KEEPS_WRITABLE keeps a
   * demoted volume writable; SECONDARY_PUBLISH_RW lets a read-write publication of a secondary
   * (and writes through it) through.
   */
  private boolean writableSecondary(VolumeMeta meta, boolean publishedAsSecondary) {
    return (options.has(Defect.DEMOTE_KEEPS_WRITABLE) && meta.demoted)
        || (options.has(Defect.SECONDARY_PUBLISH_RW) && publishedAsSecondary);
  }

  private void checkFence(String nodeId, String address) {
    String cidr = fences.fencing(address);
    if (cidr != null) {
      throw new DriverException(
          ErrorCode.PERMISSION_DENIED, "node " + nodeId + " (client address " + address + ") is fenced by " + cidr);
    }
  }

  private String address(String nodeId) {
    String address = nodeAddresses.get(nodeId);
    if (address == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "node " + nodeId + " is not a node of site " + options.site());
    }
    return address;
  }

  private String address(Handle handle) {
    return nodeAddresses.getOrDefault(handle.publication().nodeId(), "");
  }

  private Handle handle(String handleId) {
    Handle handle = handleId == null ? null : handles.get(handleId);
    if (handle == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "unknown handle (not published, or unpublished)");
    }
    return handle;
  }

  private Volume volumeOf(Handle handle) {
    return store.requireVolume(handle.volumeId());
  }

  private static void checkRange(Volume volume, long offset, long length) {
    if (offset < 0 || offset + length > volume.capacity()) {
      throw new DriverException(
          ErrorCode.OUT_OF_RANGE,
          "[" + offset + ", " + (offset + length) + ") is outside volume " + volume.id() + " of " + volume.capacity()
              + " bytes");
    }
  }

  private static Publication publication(String volumeId, String targetPath, PublicationRecord record) {
    return new Publication(record.handle(), volumeId, record.nodeId(), targetPath, record.readOnly());
  }
}
