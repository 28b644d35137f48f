package dev.replcert.layer1.support;

import dev.replcert.harness.kube.Waits;
import dev.replcert.api.csi.v1.CreateSnapshotRequest;
import dev.replcert.api.csi.v1.DeleteSnapshotRequest;
import dev.replcert.api.csi.v1.Snapshot;
import dev.replcert.api.csi.v1.VolumeContentSource;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.track.ResourceTracker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * CSI snapshots of a site's volumes: created and awaited until ready to use (by repeating the
 * idempotent CreateSnapshot, as the external-snapshotter does), deleted at cleanup.
 */
public final class Snapshots {

  private Snapshots() {}

  /** CreateSnapshot of {@code volumeId}, then waits until ready_to_use; deleted at cleanup. */
  public static Snapshot mustCreate(
      SiteDriver site, ResourceTracker tracker, Waits waits, String volumeId, String name) {
    CreateSnapshotRequest request =
        CreateSnapshotRequest.newBuilder()
            .setSourceVolumeId(volumeId)
            .setName(name)
            .putAllSecrets(site.secrets())
            .build();
    Snapshot first;
    try {
      first = site.stubs().controller().createSnapshot(request).getSnapshot();
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          site.site() + ": CreateSnapshot " + name + " of volume " + volumeId + " failed with "
              + e.getStatus().getCode() + ": " + e.getStatus().getDescription(),
          e);
    }
    String id = first.getSnapshotId();
    tracker.track("snapshot " + id + " on " + site.site(), () -> delete(site, id));
    if (first.getReadyToUse()) {
      return first;
    }
    return waits.until(
        "snapshot " + id + " of volume " + volumeId + " on " + site.site() + " is ready to use",
        TimeoutOperation.VOLUME_PROVISION,
        () -> site.stubs().controller().createSnapshot(request).getSnapshot(),
        Snapshot::getReadyToUse);
  }

  /** The content source of a volume restored from {@code snapshot}. */
  public static VolumeContentSource source(Snapshot snapshot) {
    return VolumeContentSource.newBuilder()
        .setSnapshot(
            VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snapshot.getSnapshotId()))
        .build();
  }

  /** DeleteSnapshot; NOT_FOUND counts as deleted. */
  public static void delete(SiteDriver site, String snapshotId) {
    try {
      site.stubs()
          .controller()
          .deleteSnapshot(
              DeleteSnapshotRequest.newBuilder()
                  .setSnapshotId(snapshotId)
                  .putAllSecrets(site.secrets())
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }
}
