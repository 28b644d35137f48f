package dev.replcert.layer1.support;

import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.PublishedVolume;
import dev.replcert.harness.volume.VolumeIo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;

/**
 * A volume staged and published on one site's node, with its bytes open: what an application pod
 * would have. Unlike {@link SiteDriver#mustPublish} it can be unpublished in the middle of a
 * test (a planned switch stops the application first), and the access type is explicit. Cleanup
 * unpublishes and unstages whatever is still there.
 */
public final class Publication {

  private final SiteDriver site;
  private final String volumeId;
  private final Path staging;
  private final Path target;
  private final boolean readOnly;
  private VolumeIo io;
  private boolean staged;
  private boolean published;

  private Publication(
      SiteDriver site, String volumeId, Path staging, Path target, boolean readOnly) {
    this.site = site;
    this.volumeId = volumeId;
    this.staging = staging;
    this.target = target;
    this.readOnly = readOnly;
  }

  /** What NodeStage + NodePublish answered: a publication, or the refusal and its step. */
  public record Attempt(Publication publication, String refusedAt, StatusRuntimeException refusal) {
    public boolean refused() {
      return refusal != null;
    }

    public String describeRefusal() {
      return refusedAt + " answered " + refusal.getStatus().getCode()
          + (refusal.getStatus().getDescription() == null
              ? ""
              : " (" + refusal.getStatus().getDescription() + ")");
    }
  }

  /** Stages, publishes and opens the volume, or fails saying which step the driver refused. */
  public static Publication mustPublish(
      SiteDriver site,
      ResourceTracker tracker,
      String volumeId,
      long sizeBytes,
      VolumeCapability capability,
      boolean readOnly) {
    Attempt attempt = attempt(site, tracker, volumeId, sizeBytes, capability, readOnly);
    if (attempt.refused()) {
      throw new AssertionError(
          site.site() + ": publishing volume " + volumeId + " " + (readOnly ? "read-only" : "read-write")
              + " as " + AccessTypes.describe(capability) + " failed: " + attempt.describeRefusal(),
          attempt.refusal());
    }
    return attempt.publication();
  }

  /**
   * Stages and publishes; a refusal of either step is returned, not thrown, for tests that expect
   * one (a staging whose publish was refused is unstaged at once). Whatever the driver accepted
   * is tracked for cleanup.
   */
  public static Attempt attempt(
      SiteDriver site,
      ResourceTracker tracker,
      String volumeId,
      long sizeBytes,
      VolumeCapability capability,
      boolean readOnly) {
    Path base = site.tempDir(volumeId);
    Publication p =
        new Publication(
            site,
            volumeId,
            base.resolve("staging"),
            base.resolve(capability.hasBlock() ? "device" : "mount"),
            readOnly);
    tracker.track("publication of " + volumeId + " on " + site.site(), p::unpublish);
    try {
      site.stubs()
          .node()
          .nodeStageVolume(
              NodeStageVolumeRequest.newBuilder()
                  .setVolumeId(volumeId)
                  .setStagingTargetPath(p.staging.toString())
                  .setVolumeCapability(capability)
                  .putAllSecrets(site.secrets())
                  .build());
    } catch (StatusRuntimeException e) {
      return new Attempt(null, "NodeStageVolume", e);
    }
    p.staged = true;
    try {
      site.stubs()
          .node()
          .nodePublishVolume(
              NodePublishVolumeRequest.newBuilder()
                  .setVolumeId(volumeId)
                  .setStagingTargetPath(p.staging.toString())
                  .setTargetPath(p.target.toString())
                  .setVolumeCapability(capability)
                  .setReadonly(readOnly)
                  .putAllSecrets(site.secrets())
                  .build());
    } catch (StatusRuntimeException e) {
      p.unpublish(); // a refused attempt leaves nothing staged behind
      return new Attempt(null, "NodePublishVolume", e);
    }
    p.published = true;
    p.io = PublishedVolume.open(p.target, capability.hasBlock(), sizeBytes, site.stubs().deadline());
    return new Attempt(p, null, null);
  }

  public VolumeIo io() {
    if (io == null) {
      throw new IllegalStateException(describe() + " is no longer published");
    }
    return io;
  }

  public String volumeId() {
    return volumeId;
  }

  public SiteDriver site() {
    return site;
  }

  /** The target path: a mounted directory or a device (or the driver's handle). */
  public Path target() {
    return target;
  }

  public boolean readOnly() {
    return readOnly;
  }

  /**
   * Closes the bytes, NodeUnpublish, NodeUnstage. Idempotent; NOT_FOUND counts as done. An
   * application is stopped and its volume released this way before a planned demote.
   */
  public synchronized void unpublish() {
    if (io != null) {
      io.close();
      io = null;
    }
    if (published) {
      ignoringNotFound(
          () ->
              site.stubs()
                  .node()
                  .nodeUnpublishVolume(
                      NodeUnpublishVolumeRequest.newBuilder()
                          .setVolumeId(volumeId)
                          .setTargetPath(target.toString())
                          .build()));
      published = false;
    }
    if (staged) {
      ignoringNotFound(
          () ->
              site.stubs()
                  .node()
                  .nodeUnstageVolume(
                      NodeUnstageVolumeRequest.newBuilder()
                          .setVolumeId(volumeId)
                          .setStagingTargetPath(staging.toString())
                          .build()));
      staged = false;
    }
  }

  public String describe() {
    return "volume " + volumeId + " on " + site.site() + (readOnly ? " (read-only)" : "");
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
