package dev.replcert.layer2.splitbrain;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.ManagedSite;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeResourceRequirementsBuilder;
import java.util.List;
import java.util.Map;

/**
 * A user's stale manifest after a planned relocate: the old PV of a claim (same CSI volume handle)
 * and a claim bound to it, re-created on the cluster the application left, and a writer on it.
 * The volume there is the secondary of west's primary now, so the driver must refuse it read-write
 * (publish refused: the pod never runs, FailedMount) or refuse its writes (the writer ends at its
 * first write). The PV is Retain: cleaning it up never deletes the volume.
 */
final class StaleReplicaProbe {

  private final DrFixture dr;
  private final ManagedSite site;
  private final String claim;
  private final String pod;

  private StaleReplicaProbe(DrFixture dr, ManagedSite site, String claim, String pod) {
    this.dr = dr;
    this.site = site;
    this.claim = claim;
    this.pod = pod;
  }

  /** Re-creates {@code old} (as it was on {@code site} before the move) and starts a writer on it. */
  static StaleReplicaProbe writeThrough(DrFixture dr, ManagedSite site, PersistentVolume old) {
    String name = "stale-" + old.getSpec().getClaimRef().getName();
    String pvName = dr.namespace() + "-" + name;
    String storageClass = old.getSpec().getStorageClassName();
    PersistentVolume pv = new PersistentVolumeBuilder()
        .withNewMetadata().withName(pvName).withLabels(Map.of(DrFixture.TEST_LABEL, dr.namespace())).endMetadata()
        .withNewSpec()
        .withCapacity(old.getSpec().getCapacity())
        .withAccessModes(old.getSpec().getAccessModes())
        .withVolumeMode(old.getSpec().getVolumeMode())
        .withStorageClassName(storageClass)
        .withPersistentVolumeReclaimPolicy("Retain")
        .withCsi(old.getSpec().getCsi())
        .withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withNamespace(dr.namespace())
            .withName(name).build())
        .endSpec()
        .build();
    site.resources().create(pv);
    PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(dr.namespace()).endMetadata()
        .withNewSpec()
        .withAccessModes(old.getSpec().getAccessModes())
        .withVolumeMode(old.getSpec().getVolumeMode())
        .withStorageClassName(storageClass)
        .withVolumeName(pvName)
        .withResources(new VolumeResourceRequirementsBuilder().withRequests(old.getSpec().getCapacity()).build())
        .endSpec()
        .build();
    site.resources().create(pvc);
    String pod = site.workloads().submitWriter(dr.namespace(), name, dr.config().driver().volume().mode(),
        "stale-replica-" + dr.namespace(), 0);
    return new StaleReplicaProbe(dr, site, old.getSpec().getClaimRef().getName(), pod);
  }

  /**
   * Waits until the driver's answer shows: the pod not running with a FailedMount event (publish
   * refused), the writer ended (its write refused), or a record acknowledged (accepted). Returns
   * what was seen; {@link Seen#accepted()} says whether the volume took a write.
   */
  Seen await() {
    return dr.waits().until("the writer on the stale " + claim + " on " + site.name() + " is refused (FailedMount, or"
        + " its write fails) or gets a record acknowledged", TimeoutOperation.POD_START, this::look, Seen::decided);
  }

  private Seen look() {
    Pod now = site.client().pods().inNamespace(dr.namespace()).withName(pod).get();
    List<String> failedMounts = site.client().v1().events().inNamespace(dr.namespace()).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName()))
        .filter(e -> "FailedMount".equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
    String phase = now == null || now.getStatus() == null ? null : now.getStatus().getPhase();
    WriterReport report = null;
    if ("Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
      WriterHandle writer = site.workloads().attachWriter(dr.namespace(), pod);
      report = writer.progress();
    }
    return new Seen(site.name() + "/" + pod, phase, failedMounts, report);
  }

  /** One look at the probe's pod. */
  record Seen(String pod, String phase, List<String> failedMounts, WriterReport report) {

    boolean accepted() {
      return report != null && report.ackedCount() > 0;
    }

    boolean refusedWrite() {
      return report != null && report.stoppedBecause() == WriterReport.StopReason.WRITE_FAILED && !accepted();
    }

    boolean refusedPublish() {
      return !failedMounts.isEmpty() && !"Running".equals(phase);
    }

    boolean decided() {
      return accepted() || refusedWrite() || refusedPublish();
    }

    @Override
    public String toString() {
      return "pod " + pod + " phase " + phase + ", FailedMount events " + failedMounts + ", writer "
          + (report == null ? "not started" : report);
    }
  }
}
