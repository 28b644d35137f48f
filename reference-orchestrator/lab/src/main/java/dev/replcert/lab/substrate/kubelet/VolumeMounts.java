package dev.replcert.lab.substrate.kubelet;

import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.lab.substrate.Capabilities;
import dev.replcert.lab.substrate.SiteDriver;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.nio.file.Path;

/**
 * What kubelet's CSI volume plugin does for one pod volume: NodeStage at a per-node, per-PV staging
 * path, NodePublish at the pod's own target path, and the reverse. The target paths live under the
 * kubelet's directory, as {@code /var/lib/kubelet/pods/<uid>/volumes/...} do.
 */
final class VolumeMounts {

  /** One published pod volume: enough to unpublish it with the PV gone. */
  record Mounted(
      String nodeId, String pvName, String volumeId, Path staging, Path target, boolean block) {}

  private final SiteDriver driver;
  private final Path root;

  VolumeMounts(SiteDriver driver, Path root) {
    this.driver = driver;
    this.root = root;
  }

  Path staging(String nodeId, String pvName) {
    return root.resolve(nodeId).resolve("plugins").resolve(pvName).resolve("globalmount");
  }

  Path target(String nodeId, String podUid, String volumeName) {
    return root.resolve(nodeId)
        .resolve("pods")
        .resolve(podUid)
        .resolve("volumes")
        .resolve(volumeName);
  }

  /** Where a pod volume is (or would be) staged and published: derived, never stored. */
  Mounted expected(String nodeId, String podUid, String volumeName, PersistentVolume pv) {
    String mode =
        pv.getSpec().getVolumeMode() == null ? "Filesystem" : pv.getSpec().getVolumeMode();
    return new Mounted(
        nodeId,
        pv.getMetadata().getName(),
        pv.getSpec().getCsi().getVolumeHandle(),
        staging(nodeId, pv.getMetadata().getName()),
        target(nodeId, podUid, volumeName),
        Capabilities.isBlock(mode));
  }

  /** NodeStage then NodePublish; both idempotent, so a retry after a failure just repeats them. */
  Mounted mount(
      String nodeId, String podUid, String volumeName, PersistentVolume pv, boolean readOnly) {
    var csi = pv.getSpec().getCsi();
    if (csi == null) {
      throw new IllegalStateException("PV " + pv.getMetadata().getName() + " is not a CSI volume");
    }
    String mode =
        pv.getSpec().getVolumeMode() == null ? "Filesystem" : pv.getSpec().getVolumeMode();
    var capability = Capabilities.of(mode, pv.getSpec().getAccessModes(), csi.getFsType());
    Path staging = staging(nodeId, pv.getMetadata().getName());
    Path target = target(nodeId, podUid, volumeName);
    var node = driver.node(nodeId);
    try {
      node.nodeStageVolume(
          NodeStageVolumeRequest.newBuilder()
              .setVolumeId(csi.getVolumeHandle())
              .setStagingTargetPath(staging.toString())
              .setVolumeCapability(capability)
              .putAllVolumeContext(
                  csi.getVolumeAttributes() == null
                      ? java.util.Map.of()
                      : csi.getVolumeAttributes())
              .build());
    } catch (RuntimeException e) {
      throw new MountException("MountVolume.MountDevice", pv.getMetadata().getName(), e);
    }
    try {
      driver
          .node(nodeId)
          .nodePublishVolume(
              NodePublishVolumeRequest.newBuilder()
                  .setVolumeId(csi.getVolumeHandle())
                  .setStagingTargetPath(staging.toString())
                  .setTargetPath(target.toString())
                  .setVolumeCapability(capability)
                  .setReadonly(readOnly)
                  .putAllVolumeContext(
                      csi.getVolumeAttributes() == null
                          ? java.util.Map.of()
                          : csi.getVolumeAttributes())
                  .build());
    } catch (RuntimeException e) {
      throw new MountException("MountVolume.SetUp", pv.getMetadata().getName(), e);
    }
    return expected(nodeId, podUid, volumeName, pv);
  }

  void unpublish(Mounted m) {
    driver
        .node(m.nodeId())
        .nodeUnpublishVolume(
            NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(m.volumeId())
                .setTargetPath(m.target().toString())
                .build());
  }

  void unstage(Mounted m) {
    driver
        .node(m.nodeId())
        .nodeUnstageVolume(
            NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(m.volumeId())
                .setStagingTargetPath(m.staging().toString())
                .build());
  }

  /** A failed stage or publish, worded as kubelet's FailedMount events are. */
  static final class MountException extends RuntimeException {
    MountException(String operation, String pvName, RuntimeException cause) {
      super(operation + " failed for volume \"" + pvName + "\" : " + describe(cause), cause);
    }

    private static String describe(RuntimeException e) {
      if (e instanceof io.grpc.StatusRuntimeException s) {
        return "rpc error: code = "
            + goName(s.getStatus().getCode())
            + " desc = "
            + s.getStatus().getDescription();
      }
      return e.toString();
    }

    /**
     * FAILED_PRECONDITION as grpc-go spells it (FailedPrecondition), which is what kubelet prints.
     */
    private static String goName(io.grpc.Status.Code code) {
      StringBuilder b = new StringBuilder();
      for (String word : code.name().split("_")) {
        b.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
      }
      return code == io.grpc.Status.Code.OK ? "OK" : b.toString();
    }
  }
}
