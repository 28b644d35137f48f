package dev.replcert.harness.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every named wait in the harness. A wait takes its {@code atMost} from the {@link TimeoutProfile}
 * by one of these, so a slow backend is tuned in cert.yaml, never in code.
 */
public enum TimeoutOperation {
  POLL("poll", "interval between two checks of a condition (not a limit)"),
  RPC("rpc", "one gRPC call to the driver"),
  VOLUME_PROVISION("volumeProvision", "PVC bound / CreateVolume done"),
  POD_START("podStart", "workload pod Running and Ready"),
  POD_DELETE("podDelete", "pod gone"),
  WORKLOAD_STOP(
      "workloadStop",
      "writer pod ended with its report after the stop annotation (the kubelet refreshes"
          + " downward API files within about a minute)"),
  VERIFY("verify", "verifier pod started, read the whole volume and reported"),
  REPLICATION_ESTABLISHED("replicationEstablished", "VolumeReplication reports Replicating"),
  FIRST_SYNC("firstSync", "the first complete copy reaches the peer site"),
  PROMOTE("promote", "VolumeReplication primary"),
  DEMOTE("demote", "VolumeReplication secondary"),
  RESYNC("resync", "a split-brained volume resynchronised from the new primary"),
  FENCE("fence", "NetworkFence Fenced"),
  UNFENCE("unfence", "NetworkFence Unfenced"),
  FAILOVER("failover", "DR failover: action set to workload ready on the surviving site"),
  RELOCATE("relocate", "DR relocate: action set to workload ready on the preferred site"),
  S3_UPLOAD("s3Upload", "cluster metadata visible in the S3 profile"),
  SITE_DOWN("siteDown", "a site observed down after its disaster hook ran"),
  SITE_UP("siteUp", "a site observed up again after its disaster hook ran"),
  VM_BOOT("vmBoot", "VirtualMachineInstance Running with its guest agent connected"),
  VM_MIGRATE("vmMigrate", "live migration completed"),
  CLEANUP("cleanup", "everything a test created deleted");

  private final String id;
  private final String description;

  TimeoutOperation(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The key in {@code timeouts.overrides}. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public static Optional<TimeoutOperation> byId(String id) {
    return Arrays.stream(values()).filter(op -> op.id.equals(id)).findFirst();
  }

  public static String knownIds() {
    return Arrays.stream(values()).map(TimeoutOperation::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
