package dev.replcert.orchestrator.vrg;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the csi-addons controller for the tests: writes a VolumeReplication's status with the
 * condition sets of reference/csi.md §4, observed at the VR's current generation.
 */
final class CsiAddonsPlayer {

  private final KubernetesClient client;

  CsiAddonsPlayer(KubernetesClient client) {
    this.client = client;
  }

  /** "promoted": Completed=True/Promoted, Degraded=False/Healthy, Resyncing=False/NotResyncing. */
  void promoted(String ns, String name, Instant lastSync, String duration, long bytes) {
    write(
        ns,
        name,
        "Primary",
        lastSync,
        duration,
        bytes,
        c("Completed", "True", "Promoted"),
        c("Degraded", "False", "Healthy"),
        c("Resyncing", "False", "NotResyncing"));
  }

  void failedToPromote(String ns, String name, String message) {
    Condition completed = c("Completed", "False", "FailedToPromote");
    completed.setMessage(message);
    write(ns, name, "Unknown", null, null, 0, completed, c("Degraded", "True", "Error"));
  }

  /** "demoted": Completed=True/Demoted, Degraded=True/VolumeDegraded (no Resyncing yet). */
  void demoted(String ns, String name) {
    write(
        ns,
        name,
        "Secondary",
        null,
        null,
        0,
        c("Completed", "True", "Demoted"),
        c("Degraded", "True", "VolumeDegraded"));
  }

  /** "resync ready" after demotion: Completed=True, Degraded=False/Healthy, Resyncing=False. */
  void secondaryInSync(String ns, String name) {
    write(
        ns,
        name,
        "Secondary",
        null,
        null,
        0,
        c("Completed", "True", "Demoted"),
        c("Degraded", "False", "Healthy"),
        c("Resyncing", "False", "NotResyncing"));
  }

  private void write(
      String ns,
      String name,
      String state,
      Instant lastSync,
      String duration,
      long bytes,
      Condition... conditions) {
    client
        .resources(VolumeReplication.class)
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            vr -> {
              Long generation = vr.getMetadata().getGeneration();
              VolumeReplicationStatus status = new VolumeReplicationStatus();
              List<Condition> list = new ArrayList<>();
              for (Condition c : conditions) {
                c.setObservedGeneration(generation);
                list.add(c);
              }
              status.setConditions(list);
              status.setObservedGeneration(generation);
              status.setState(state);
              if (lastSync != null) {
                status.setLastSyncTime(ZonedDateTime.ofInstant(lastSync, ZoneOffset.UTC));
                status.setLastSyncDuration(duration);
                status.setLastSyncBytes(bytes);
              }
              vr.setStatus(status);
              return vr;
            });
  }

  private static Condition c(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("")
        .withLastTransitionTime(Instant.now().toString())
        .build();
  }
}
