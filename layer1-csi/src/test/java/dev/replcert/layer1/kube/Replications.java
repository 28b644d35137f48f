package dev.replcert.layer1.kube;

import dev.replcert.harness.kube.DriverClasses;
import dev.replcert.harness.kube.KubeResources;
import dev.replcert.api.k8s.CsiAddons.Reason;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.kube.Waits;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.volumereplicationspec.DataSource;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * VolumeReplications of a test on one cluster: create one for a claim, change its
 * replicationState, and named waits on what the csi-addons controller reports. Every wait returns
 * the observation that satisfied it and, on timeout, prints the last {@link VrStatus} it saw.
 */
public final class Replications {

  private final KubeResources cluster;
  private final DriverClasses classes;
  private final String namespace;
  private final Waits waits;
  private final Duration poll;

  public Replications(
      KubeResources cluster, DriverClasses classes, String namespace, Waits waits, Duration poll) {
    this.cluster = cluster;
    this.classes = classes;
    this.namespace = namespace;
    this.waits = waits;
    this.poll = poll;
  }

  /** A VR named like its claim, in the driver's VolumeReplicationClass (deleted at cleanup). */
  public VolumeReplication create(String claim, ReplicationState state) {
    return create(claim, claim, state);
  }

  public VolumeReplication create(String name, String claim, ReplicationState state) {
    VolumeReplication vr = new VolumeReplication();
    vr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    VolumeReplicationSpec spec = new VolumeReplicationSpec();
    spec.setVolumeReplicationClass(classes.volumeReplicationClass());
    spec.setReplicationState(state);
    DataSource source = new DataSource();
    source.setKind("PersistentVolumeClaim");
    source.setName(claim);
    spec.setDataSource(source);
    vr.setSpec(spec);
    return cluster.create(vr);
  }

  /** Patches spec.replicationState; returns the VR's new generation. */
  public long setState(String name, ReplicationState state) {
    return SpecPatch.set(resource(name), "replicationState", state.getValue()).getMetadata().getGeneration();
  }

  /** Deletes the VR now (the test's own step). */
  public void delete(String name) {
    resource(name).delete();
  }

  public VrStatus observe(String name) {
    return new VrStatus(resource(name).get());
  }

  /** Waits until the VR satisfies {@code done}, limited by {@code limit}. */
  public VrStatus await(String name, String condition, TimeoutOperation limit, Predicate<VrStatus> done) {
    return waits.until(describe(name) + " " + condition, limit, () -> observe(name), done);
  }

  public VrStatus await(String name, String condition, Duration limit, Predicate<VrStatus> done) {
    return waits.until(describe(name) + " " + condition, limit, () -> observe(name), done);
  }

  /**
   * The VR satisfies {@code ok} at every poll for the whole window; the first observation that
   * does not fails at once, printed.
   */
  public void assertStays(String name, String condition, Duration window, Predicate<VrStatus> ok) {
    Stays.assertHolds(describe(name) + " " + condition, window, poll, () -> observe(name), ok);
  }

  /** state Primary and Completed=True/Promoted for the current generation. */
  public VrStatus awaitPromoted(String name) {
    return await(name, "reports state Primary and Completed=True/Promoted for its generation",
        TimeoutOperation.PROMOTE, vr -> "Primary".equals(vr.state()) && vr.completed(Reason.PROMOTED));
  }

  /** state Secondary and Completed=True/Demoted for the current generation. */
  public VrStatus awaitDemoted(String name) {
    return await(name, "reports state Secondary and Completed=True/Demoted for its generation",
        TimeoutOperation.DEMOTE, vr -> "Secondary".equals(vr.state()) && vr.completed(Reason.DEMOTED));
  }

  /** The VR and its finalizer are gone. */
  public VrStatus awaitGone(String name) {
    return await(name, "is gone", TimeoutOperation.CLEANUP, vr -> !vr.exists());
  }

  public String describe(String name) {
    return "VolumeReplication " + cluster.site() + "/" + namespace + "/" + name;
  }

  private Resource<VolumeReplication> resource(String name) {
    return cluster.client().resources(VolumeReplication.class).inNamespace(namespace).withName(name);
  }
}
