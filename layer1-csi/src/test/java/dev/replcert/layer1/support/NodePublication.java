package dev.replcert.layer1.support;

import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.PublishedVolume;
import dev.replcert.harness.volume.VolumeIo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;

/**
 * A volume staged and published on a site's node that the test can unpublish before its end: a
 * planned switch stops the application and unpublishes before it demotes, and a resync runs on a
 * volume nobody uses. ({@link SiteDriver#mustPublish} keeps its publication until cleanup.)
 */
public final class NodePublication {

  private final SiteDriver site;
  private final String volumeId;
  private final Path staging;
  private final Path target;
  private final VolumeIo io;
  private boolean published = true;

  private NodePublication(
      SiteDriver site, String volumeId, Path staging, Path target, VolumeIo io) {
    this.site = site;
    this.volumeId = volumeId;
    this.staging = staging;
    this.target = target;
    this.io = io;
  }

  /** A NodePublishVolume attempt: the publication, or the driver's refusal. */
  public record Attempt(NodePublication publication, StatusRuntimeException refusal) {}

  /** NodeStage + NodePublish on the site's node; undone at cleanup unless unpublished before. */
  public static NodePublication mustPublish(
      SiteDriver site,
      String volumeId,
      boolean readOnly,
      ResourceTracker tracker,
      java.time.Duration rpcTimeout) {
    Attempt attempt = tryPublish(site, volumeId, readOnly, tracker, rpcTimeout);
    if (attempt.refusal() != null) {
      StatusRuntimeException e = attempt.refusal();
      throw new AssertionError(
          site.site() + ": NodePublishVolume " + volumeId + (readOnly ? " read-only" : " read-write")
              + " failed with " + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()),
          e);
    }
    return attempt.publication();
  }

  /**
   * NodeStageVolume (asserted), then NodePublishVolume, whose refusal is returned rather than
   * thrown: for checks that a site refuses to publish a volume read-write.
   */
  public static Attempt tryPublish(
      SiteDriver site,
      String volumeId,
      boolean readOnly,
      ResourceTracker tracker,
      java.time.Duration rpcTimeout) {
    Path base = site.tempDir(volumeId);
    Path staging = base.resolve("staging");
    Path target = base.resolve(site.block() ? "device" : "mount");
    NodePublishVolumeRequest publish = site.publishRequest(volumeId, staging, target, readOnly);
    call(site, "NodeStageVolume " + volumeId, () -> site.stubs().node().nodeStageVolume(
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setStagingTargetPath(staging.toString())
            .setVolumeCapability(publish.getVolumeCapability())
            .putAllSecrets(site.secrets())
            .build()));
    tracker.track("staging of " + volumeId + " on " + site.site(), () -> unstage(site, volumeId, staging));
    try {
      site.stubs().node().nodePublishVolume(publish);
    } catch (StatusRuntimeException refused) {
      return new Attempt(null, refused);
    }
    tracker.track("publication of " + volumeId + " on " + site.site(), () -> unpublish(site, volumeId, target));
    VolumeIo io = PublishedVolume.open(target, site.block(), site.volumeSize(), rpcTimeout);
    NodePublication publication = new NodePublication(site, volumeId, staging, target, io);
    tracker.track("data path of " + volumeId + " on " + site.site(), io::close);
    return new Attempt(publication, null);
  }

  public VolumeIo io() {
    return io;
  }

  public String volumeId() {
    return volumeId;
  }

  /** Closes the data path, NodeUnpublish + NodeUnstage now; asserts both succeed. */
  public void mustUnpublish() {
    if (!published) {
      return;
    }
    io.close();
    call(site, "NodeUnpublishVolume " + volumeId, () -> {
      unpublish(site, volumeId, target);
      return null;
    });
    call(site, "NodeUnstageVolume " + volumeId, () -> {
      unstage(site, volumeId, staging);
      return null;
    });
    published = false;
  }

  private static void unpublish(SiteDriver site, String volumeId, Path target) {
    ignoringNotFound(() -> site.stubs().node().nodeUnpublishVolume(
        NodeUnpublishVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setTargetPath(target.toString())
            .build()));
  }

  private static void unstage(SiteDriver site, String volumeId, Path staging) {
    ignoringNotFound(() -> site.stubs().node().nodeUnstageVolume(
        NodeUnstageVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setStagingTargetPath(staging.toString())
            .build()));
  }

  private static <T> T call(SiteDriver site, String what, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          site.site() + ": " + what + " failed with " + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()),
          e);
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
