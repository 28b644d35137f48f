package dev.replcert.layer1.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.VolumeSettings;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.Verification.Gap;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.AccessTypes;
import dev.replcert.layer1.support.Publication;
import dev.replcert.layer1.support.ReplicatedVolume;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each volume mode on its own, whatever mode cert.yaml configures for the other tests: a raw block
 * device replicates byte for byte, a file system replicates its files and mounts on the peer.
 */
@Certification
class VolumeModeSuite {

  /** The block device's size asked for: small enough to hash whole (the driver may round up). */
  private static final long BLOCK_DEVICE_BYTES = 16L << 20;

  /** Records written at the start, the middle and the very end of the device. */
  private static final int RECORDS_PER_REGION = 64;

  private TwoSites sites;
  private Workload workload;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint east,
      @Site("west") DriverEndpoint west,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    sites = new TwoSites(east, west, config, environment, tracker, evidence);
    workload = sites.workload();
  }

  @Test
  @PlanItem("L1-DATA-006")
  @RequiresCapability({Capability.REPLICATION, Capability.BLOCK_MODE, Capability.NODE_DATA_PATH})
  void blockModeVolumesReplicateByteForByte() {
    ReplicatedVolume volume = sites.replicatedVolume("data-006", AccessTypes.block(), BLOCK_DEVICE_BYTES);
    Publication onEast = volume.mustPublish(sites.east, sites.tracker, false);
    VolumeIo device = onEast.io();
    UUID run = UUID.randomUUID();
    List<Long> starts = regionStarts(workload.format().capacity(device.size()));
    for (long start : starts) {
      workload.writeBatch(device, run, start, RECORDS_PER_REGION);
    }
    writeTail(device);
    String eastSha = VolumeBytes.sha256(device, device.size());
    volume.awaitSyncAfter(sites.east, Instant.now(), TimeoutOperation.FIRST_SYNC);
    onEast.unpublish();
    volume.plannedSwitch(sites.east, sites.west);

    VolumeIo onWest = volume.mustPublish(sites.west, sites.tracker, true).io();
    String westSha = VolumeBytes.sha256(onWest, onWest.size());
    Verification records = new RecordVerifier(onWest, workload.format(), run).verify();
    String summary = sites.record("verification of west's device", records);
    sites.evidence.attach("sha256 of the whole device", "east " + eastSha + ", west " + westSha
        + " (" + device.size() + " bytes)");
    assertThat(westSha)
        .as("the sha256 of west's whole block device (%d bytes) must equal east's: the secondary"
                + " holds exactly the bytes the primary wrote; %s", onWest.size(), summary)
        .isEqualTo(eastSha);
    assertThat(records.validCount() == (long) starts.size() * RECORDS_PER_REGION
            && records.corruptCount() == 0
            && records.gaps().equals(expectedGaps(starts)))
        .as("west must hold the %d records written at the start, middle and end of the device"
                + " (regions at %s) and nothing else; %s",
            starts.size() * RECORDS_PER_REGION, starts, summary)
        .isTrue();
  }

  @Test
  @PlanItem("L1-DATA-007")
  @RequiresCapability({Capability.REPLICATION, Capability.FILESYSTEM_MODE, Capability.NODE_DATA_PATH})
  void filesystemModeVolumesReplicateFilesAndMountCleanlyOnThePeer() {
    VolumeCapability mount = AccessTypes.mount(fsType());
    ReplicatedVolume volume =
        sites.replicatedVolume("data-007", mount, sites.config.driver().volume().sizeBytes());
    Publication onEast = volume.mustPublish(sites.east, sites.tracker, false);
    UUID run = UUID.randomUUID();
    WriterReport written = workload.writeBatch(workload.window(onEast.io()), run, 0, 256);
    Optional<Map<String, FileTree.Entry>> files =
        FileTree.fileSystemAt(onEast.target()).map(FileTree::write);
    onEast.unpublish();
    volume.plannedSwitch(sites.east, sites.west);

    Publication onWest = volume.mustPublish(sites.west, sites.tracker, false);
    Verification records = workload.verify(workload.window(onWest.io()), run);
    String summary = sites.record("verification of the record log on west", records, written);
    assertThat(records.lastContiguous() == written.lastAcked()
            && records.lastValid() == records.lastContiguous()
            && records.corruptCount() == 0)
        .as("west's file system (mounted as %s) must hold the record log written on east, every"
                + " record; %s", AccessTypes.describe(mount), summary)
        .isTrue();
    Assumptions.assumeTrue(
        files.isPresent(),
        "the record log replicated, but the driver exposes the mount volume at "
            + onEast.target() + " without a file system (a byte handle), so files, symlinks and"
            + " modes could not be checked");
    List<String> differences =
        FileTree.differences(files.get(), FileTree.manifest(onWest.target()));
    sites.evidence.attach("file tree", files.get().size() + " paths written on east; differences"
        + " on west: " + (differences.isEmpty() ? "none" : differences));
    assertThat(differences)
        .as("every path, symlink target, mode and sha256 written on east must be the same on"
                + " west after the switch; differing (first listed): %s",
            differences.subList(0, Math.min(10, differences.size())))
        .isEmpty();
  }

  // ---------------------------------------------------------------- DATA-006 steps

  /** The first slot of each region: the start, the middle, and the last records of the device. */
  private static List<Long> regionStarts(long capacity) {
    long middle = capacity / 2 - RECORDS_PER_REGION / 2;
    return List.of(0L, middle, capacity - RECORDS_PER_REGION);
  }

  private static List<Gap> expectedGaps(List<Long> starts) {
    return List.of(
        new Gap(starts.get(0) + RECORDS_PER_REGION, starts.get(1) - 1),
        new Gap(starts.get(1) + RECORDS_PER_REGION, starts.get(2) - 1));
  }

  /** Bytes after the last whole record, if the device size is not a multiple of a record. */
  private void writeTail(VolumeIo device) {
    RecordFormat format = workload.format();
    long tailStart = format.capacity(device.size()) * format.recordSize();
    int tail = (int) (device.size() - tailStart);
    if (tail > 0) {
      byte[] pattern = new byte[tail];
      Arrays.fill(pattern, (byte) 0xA5);
      device.write(tailStart, pattern);
      device.flush();
    }
  }

  // ---------------------------------------------------------------- DATA-007 steps

  private String fsType() {
    String configured = sites.config.driver().volume().fsType();
    return configured == null || configured.isBlank() ? VolumeSettings.DEFAULT_FS_TYPE : configured;
  }
}
