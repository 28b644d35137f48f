package dev.replcert.refdriver.grpc;

import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the CSI Node services of one site have staged and published, to answer the CSI
 * idempotency table: the same target with the same arguments is OK, with other arguments
 * ALREADY_EXISTS; a volume without a MULTI_NODE access mode cannot be published on a second node.
 * Shared by all node sockets of the site because the last rule spans nodes.
 */
public final class NodePublications {

  /** The arguments of a NodePublishVolume that make two calls "the same". */
  record Published(
      String nodeId, String volumeId, String stagingPath, VolumeCapability capability, boolean readOnly) {}

  /** The arguments of a NodeStageVolume. */
  record Staged(String nodeId, String stagingPath, VolumeCapability capability) {}

  private final Map<String, Published> byTarget = new ConcurrentHashMap<>();
  private final Map<String, Staged> stagedByNodeVolume = new ConcurrentHashMap<>();

  /**
   * Checks a publish against what is already published; returns whether it is a repeat of an
   * identical publish (nothing new to do beyond re-answering).
   */
  synchronized boolean checkPublish(String targetPath, Published request) {
    Published existing = byTarget.get(targetPath);
    if (existing != null) {
      if (existing.equals(request)) {
        return true;
      }
      throw new DriverException(
          ErrorCode.ALREADY_EXISTS,
          "target " + targetPath + " already has volume " + existing.volumeId() + " published with other arguments");
    }
    byTarget.forEach(
        (target, other) -> {
          if (other.volumeId().equals(request.volumeId())
              && !other.nodeId().equals(request.nodeId())
              && !(multiNode(other.capability()) && multiNode(request.capability()))) {
            throw new DriverException(
                ErrorCode.FAILED_PRECONDITION,
                "volume " + request.volumeId() + " is published on node " + other.nodeId()
                    + " and its access mode is not MULTI_NODE");
          }
        });
    return false;
  }

  synchronized void recordPublish(String targetPath, Published published) {
    byTarget.put(targetPath, published);
  }

  synchronized Optional<Published> removePublish(String targetPath) {
    return Optional.ofNullable(byTarget.remove(targetPath));
  }

  /** Records a stage; the same volume staged elsewhere or differently on this node: ALREADY_EXISTS. */
  synchronized void stage(String volumeId, Staged staged) {
    String key = staged.nodeId() + "/" + volumeId;
    Staged existing = stagedByNodeVolume.get(key);
    if (existing != null && !existing.equals(staged)) {
      throw new DriverException(
          ErrorCode.ALREADY_EXISTS,
          "volume " + volumeId + " is already staged at " + existing.stagingPath() + " with other arguments");
    }
    stagedByNodeVolume.put(key, staged);
  }

  synchronized void unstage(String nodeId, String volumeId, String stagingPath) {
    stagedByNodeVolume.computeIfPresent(
        nodeId + "/" + volumeId, (key, staged) -> staged.stagingPath().equals(stagingPath) ? null : staged);
  }

  private static boolean multiNode(VolumeCapability capability) {
    return switch (capability.getAccessMode().getMode()) {
      case MULTI_NODE_READER_ONLY, MULTI_NODE_SINGLE_WRITER, MULTI_NODE_MULTI_WRITER -> true;
      default -> false;
    };
  }
}
