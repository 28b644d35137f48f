package dev.replcert.layer1.kube;

import dev.replcert.harness.kube.DriverClasses;
import dev.replcert.harness.kube.KubeResources;
import dev.replcert.api.k8s.CsiAddons.Reason;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.kube.Names;
import dev.replcert.harness.kube.Waits;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContentSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationspec.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * VolumeGroupReplications of a test on one cluster: create one selecting claims by labels, change
 * its replicationState, pre-provision the content of an existing group, and named waits on the
 * VGR, its content and its VR together ({@link GroupStatus}, printed whole on timeout).
 */
public final class GroupReplications {

  static final String API_VERSION = "replication.storage.openshift.io/v1alpha1";

  private final KubeResources cluster;
  private final DriverClasses classes;
  private final String namespace;
  private final Waits waits;

  public GroupReplications(KubeResources cluster, DriverClasses classes, String namespace, Waits waits) {
    this.cluster = cluster;
    this.classes = classes;
    this.namespace = namespace;
    this.waits = waits;
  }

  /** A VGR of the claims carrying all {@code selector} labels, in the driver's classes. */
  public VolumeGroupReplication create(String name, Map<String, String> selector, ReplicationState state) {
    return create(name, selector, state, null);
  }

  /** As {@link #create(String, Map, ReplicationState)}, bound to a pre-provisioned content when named. */
  public VolumeGroupReplication create(
      String name, Map<String, String> selector, ReplicationState state, String contentName) {
    VolumeGroupReplication vgr = new VolumeGroupReplication();
    vgr.getMetadata().setName(name);
    vgr.getMetadata().setNamespace(namespace);
    VolumeGroupReplicationSpec spec = new VolumeGroupReplicationSpec();
    spec.setVolumeGroupReplicationClassName(classes.volumeGroupReplicationClass());
    spec.setVolumeReplicationClassName(classes.volumeReplicationClass());
    spec.setVolumeGroupReplicationContentName(contentName);
    spec.setReplicationState(state);
    Source source = new Source();
    source.setSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
    spec.setSource(source);
    vgr.setSpec(spec);
    return cluster.create(vgr);
  }

  /**
   * A VolumeGroupReplicationContent naming a group the driver already has (the replica of the peer's
   * group), for the VGR {@code vgrName} to bind: with {@code volumeGroupReplicationHandle} set,
   * csi-addons does not call CreateVolumeGroup, only ModifyVolumeGroupMembership to the members'
   * handles. This is how a group is taken over on the peer cluster, as a PV names an existing volume.
   */
  public String preProvisionContent(String vgrName, String groupHandle, List<String> volumeHandles) {
    VolumeGroupReplicationContent content = new VolumeGroupReplicationContent();
    content.getMetadata().setName(Names.unique("vgrcontent"));
    VolumeGroupReplicationContentSpec spec = new VolumeGroupReplicationContentSpec();
    spec.setVolumeGroupReplicationRef(new ObjectReferenceBuilder()
        .withApiVersion(API_VERSION).withKind("VolumeGroupReplication")
        .withNamespace(namespace).withName(vgrName)
        .build());
    spec.setVolumeGroupReplicationHandle(groupHandle);
    spec.setProvisioner(classes.provisioner());
    spec.setVolumeGroupReplicationClassName(classes.volumeGroupReplicationClass());
    var source = new io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentspec.Source();
    source.setVolumeHandles(volumeHandles);
    spec.setSource(source);
    content.setSpec(spec);
    return cluster.create(content).getMetadata().getName();
  }

  /** Patches spec.replicationState; returns the VGR's new generation. */
  public long setState(String name, ReplicationState state) {
    return resource(name).edit(vgr -> {
      vgr.getSpec().setReplicationState(state);
      return vgr;
    }).getMetadata().getGeneration();
  }

  /** Deletes the VGR now (the test's own step). */
  public void delete(String name) {
    resource(name).delete();
  }

  /**
   * The VGR, its content and its VR: named in the VGR's spec once the controller filled it in,
   * else by csi-addons' defaults {@code vgrcontent-<uid>} and {@code vr-<uid>}.
   */
  public GroupStatus observe(String name) {
    VolumeGroupReplication vgr = resource(name).get();
    if (vgr == null) {
      return new GroupStatus(null, null, new VrStatus(null));
    }
    String uid = vgr.getMetadata().getUid();
    String contentName = Objects.requireNonNullElse(
        vgr.getSpec().getVolumeGroupReplicationContentName(), "vgrcontent-" + uid);
    String vrName = Objects.requireNonNullElse(vgr.getSpec().getVolumeReplicationName(), "vr-" + uid);
    return new GroupStatus(vgr,
        cluster.client().resources(VolumeGroupReplicationContent.class).withName(contentName).get(),
        new VrStatus(cluster.client().resources(VolumeReplication.class).inNamespace(namespace).withName(vrName)
            .get()));
  }

  public GroupStatus await(String name, String condition, TimeoutOperation limit, Predicate<GroupStatus> done) {
    return waits.until(describe(name) + " " + condition, limit, () -> observe(name), done);
  }

  public GroupStatus await(String name, String condition, Duration limit, Predicate<GroupStatus> done) {
    return waits.until(describe(name) + " " + condition, limit, () -> observe(name), done);
  }

  /** state Primary and Completed=True/Promoted, on the VGR and its VR. */
  public GroupStatus awaitPromoted(String name) {
    return await(name, "and its VR report state Primary and Completed=True/Promoted for their generation",
        TimeoutOperation.PROMOTE, g -> g.completed("Primary", Reason.PROMOTED));
  }

  /** state Secondary and Completed=True/Demoted, on the VGR and its VR. */
  public GroupStatus awaitDemoted(String name) {
    return await(name, "and its VR report state Secondary and Completed=True/Demoted for their generation",
        TimeoutOperation.DEMOTE, g -> g.completed("Secondary", Reason.DEMOTED));
  }

  public String describe(String name) {
    return "VolumeGroupReplication " + cluster.site() + "/" + namespace + "/" + name;
  }

  private Resource<VolumeGroupReplication> resource(String name) {
    return cluster.client().resources(VolumeGroupReplication.class).inNamespace(namespace).withName(name);
  }
}
