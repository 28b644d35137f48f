package dev.replcert.layer2.transition;

import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.ProtectedApplication;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.open_cluster_management.work.v1.ManifestWork;
import io.open_cluster_management.work.v1.ManifestWorkSpec;
import io.open_cluster_management.work.v1.manifestworkspec.Workload;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Async;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Sync;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The application's VolumeReplicationGroup on a managed cluster, delivered by a ManifestWork the
 * test writes itself instead of a DRPC: named like the application (in its namespace, as a DRPC
 * of that name would name it) with the spec Ramen's {@code generateVRG} gives it for the test's
 * DRPolicy: the pvcSelector, {@code s3Profiles} (the sorted s3ProfileName of the policy's
 * DRClusters), {@code async} {schedulingInterval, replicationClassSelector,
 * volumeSnapshotClassSelector} ({@code sync} for an empty interval), the replication state and
 * action. The works are named {@code <app>-<ns>-hand-vrg-mw}, apart from any DRPC's, and deleted
 * at the test's cleanup (which deletes the VRGs).
 */
final class HandVrgs {

  private final DrFixture dr;
  private final ProtectedApplication app;
  private final DRPolicy policy;
  private final List<String> s3Profiles;

  HandVrgs(DrFixture dr, ProtectedApplication app, DrSetup setup) {
    this.dr = dr;
    this.app = app;
    this.policy = dr.hub().client().resources(DRPolicy.class).withName(setup.policy()).get();
    TreeSet<String> profiles = new TreeSet<>();
    for (String cluster : setup.clusters()) {
      DRCluster drCluster = dr.hub().client().resources(DRCluster.class).withName(cluster).get();
      profiles.add(Objects.requireNonNull(drCluster, "DRCluster " + cluster).getSpec().getS3ProfileName());
    }
    this.s3Profiles = List.copyOf(profiles);
  }

  String workName() {
    return app.name() + "-" + dr.namespace() + "-hand-vrg-mw";
  }

  /**
   * Delivers the VRG to the site with that state and action (none, if null), creating the work
   * or replacing its manifest; returns when the hub accepted it.
   */
  Instant deliver(ManagedSite site, ReplicationState state, Action action) {
    List<GenericKubernetesResource> manifests = List.of(site.client().getKubernetesSerialization()
        .convertValue(vrg(state, action), GenericKubernetesResource.class));
    var works = dr.hub().client().resources(ManifestWork.class).inNamespace(site.name());
    if (works.withName(workName()).get() == null) {
      ManifestWork work = new ManifestWork();
      work.setMetadata(new ObjectMetaBuilder().withName(workName()).withNamespace(site.name())
          .addToLabels(DrFixture.TEST_LABEL, dr.namespace()).build());
      ManifestWorkSpec spec = new ManifestWorkSpec();
      Workload workload = new Workload();
      workload.setManifests(manifests);
      spec.setWorkload(workload);
      work.setSpec(spec);
      dr.hub().create(work);
    } else {
      works.withName(workName()).edit(w -> {
        w.getSpec().getWorkload().setManifests(manifests);
        return w;
      });
    }
    return Instant.now();
  }

  private VolumeReplicationGroup vrg(ReplicationState state, Action action) {
    VolumeReplicationGroup vrg = new VolumeReplicationGroup();
    vrg.setMetadata(new ObjectMetaBuilder().withName(app.name()).withNamespace(dr.namespace()).build());
    VolumeReplicationGroupSpec spec = new VolumeReplicationGroupSpec();
    spec.setPvcSelector(app.pvcSelector());
    spec.setReplicationState(state);
    spec.setS3Profiles(s3Profiles);
    String interval = policy.getSpec().getSchedulingInterval();
    if (interval == null || interval.isEmpty()) {
      spec.setSync(new Sync());
    } else {
      Async async = new Async();
      async.setSchedulingInterval(interval);
      async.setReplicationClassSelector(policy.getSpec().getReplicationClassSelector());
      async.setVolumeSnapshotClassSelector(policy.getSpec().getVolumeSnapshotClassSelector());
      spec.setAsync(async);
    }
    spec.setAction(action);
    vrg.setSpec(spec);
    return vrg;
  }
}
