package dev.replcert.orchestrator.vrg;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationspec.Source;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationstatus.PersistentVolumeClaimsRefList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The VolumeGroupReplication of one consistency group (Ramen's {@code createOrUpdateVGR}): selector
 * = the VRG's PVC selector plus the group label, the VRG's owner labels, and a state that follows
 * the VRG's. It is judged on the VolumeReplication csi-addons made for it ({@code
 * spec.volumeReplicationName}) with the rules of a claim's own VR: the VGR's status copies that VR's
 * conditions, whose observedGeneration is the VR's and not the VGR's, so they cannot be judged
 * against the VGR's generation. A claim counts once the VGR lists it as a member.
 */
final class GroupReplications {

  private final KubernetesClient client;

  GroupReplications(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the VGR, or moves its state and autoResync; classes and selector stay. */
  VolumeGroupReplication ensure(
      VolumeReplicationGroup vrg,
      String name,
      String group,
      VolumeGroupReplication existing,
      String vrcName,
      String vgrcName,
      VolumeGroupReplicationSpec.ReplicationState state,
      boolean autoResync) {
    if (existing == null) {
      VolumeGroupReplication vgr = new VolumeGroupReplication();
      vgr.setMetadata(
          new ObjectMetaBuilder()
              .withName(name)
              .withNamespace(vrg.getMetadata().getNamespace())
              .withLabels(
                  Map.of(
                      VrgNames.OWNER_NAME_LABEL, vrg.getMetadata().getName(),
                      VrgNames.OWNER_NAMESPACE_LABEL, vrg.getMetadata().getNamespace(),
                      VrgNames.CREATED_BY_RAMEN_LABEL, "true"))
              .withOwnerReferences(controller(vrg))
              .build());
      VolumeGroupReplicationSpec spec = new VolumeGroupReplicationSpec();
      spec.setVolumeReplicationClassName(vrcName);
      spec.setVolumeGroupReplicationClassName(vgrcName);
      spec.setReplicationState(state);
      spec.setAutoResync(autoResync);
      Source source = new Source();
      source.setSelector(selector(vrg, group));
      spec.setSource(source);
      vgr.setSpec(spec);
      return client.resource(vgr).create();
    }
    if (existing.getSpec().getReplicationState() == state
        && Objects.equals(existing.getSpec().getAutoResync(), autoResync)) {
      return existing;
    }
    return client
        .resources(VolumeGroupReplication.class)
        .inNamespace(existing.getMetadata().getNamespace())
        .withName(existing.getMetadata().getName())
        .edit(
            v -> {
              v.getSpec().setReplicationState(state);
              v.getSpec().setAutoResync(autoResync);
              return v;
            });
  }

  /** The VRG as the controlling owner of a VGR it made or restored (Ramen's SetControllerReference). */
  static OwnerReference controller(VolumeReplicationGroup vrg) {
    return new OwnerReferenceBuilder()
        .withApiVersion(vrg.getApiVersion())
        .withKind(vrg.getKind())
        .withName(vrg.getMetadata().getName())
        .withUid(vrg.getMetadata().getUid())
        .withController(true)
        .build();
  }

  /** The VRG's PVC selector with the group label added (Ramen: {@code AddLabelToSelector}). */
  static LabelSelector selector(VolumeReplicationGroup vrg, String group) {
    LabelSelector base = vrg.getSpec().getPvcSelector();
    Map<String, String> labels = new HashMap<>();
    if (base != null && base.getMatchLabels() != null) {
      labels.putAll(base.getMatchLabels());
    }
    labels.put(VrgNames.CG_LABEL, group);
    return new LabelSelectorBuilder()
        .withMatchLabels(labels)
        .withMatchExpressions(base == null ? null : base.getMatchExpressions())
        .build();
  }

  /** The VR csi-addons made for the VGR, or null while there is none. */
  VolumeReplication replicationOf(VolumeGroupReplication vgr) {
    String vrName = vgr.getSpec().getVolumeReplicationName();
    return vrName == null
        ? null
        : client
            .resources(VolumeReplication.class)
            .inNamespace(vgr.getMetadata().getNamespace())
            .withName(vrName)
            .get();
  }

  /** As primary: every claim a member, the group's VR asked for primary and ready as one. */
  VolumeReplications.Verdict asPrimary(VolumeGroupReplication vgr, List<String> claims) {
    return judge(vgr, claims, VolumeReplicationSpec.ReplicationState.PRIMARY);
  }

  /** As secondary: the group's VR asked for secondary, demoted and in sync (or resyncing). */
  VolumeReplications.Verdict asSecondary(VolumeGroupReplication vgr, List<String> claims) {
    return judge(vgr, claims, VolumeReplicationSpec.ReplicationState.SECONDARY);
  }

  private VolumeReplications.Verdict judge(
      VolumeGroupReplication vgr, List<String> claims, VolumeReplicationSpec.ReplicationState state) {
    String name = vgr.getMetadata().getName();
    Set<String> members = members(vgr);
    List<String> missing = claims.stream().filter(c -> !members.contains(c)).toList();
    if (!missing.isEmpty()) {
      return VolumeReplications.Verdict.progressing(
          "PVC not yet a member of VolumeGroupReplication " + name + ": " + missing);
    }
    VolumeReplication vr = replicationOf(vgr);
    if (vr == null) {
      return VolumeReplications.Verdict.progressing(
          "VolumeGroupReplication " + name + " has no VolumeReplication yet");
    }
    if (vr.getSpec().getReplicationState() != state) {
      return VolumeReplications.Verdict.progressing(
          "the VolumeReplication of VolumeGroupReplication " + name + " is not " + state + " yet");
    }
    return state == VolumeReplicationSpec.ReplicationState.PRIMARY
        ? VolumeReplications.asPrimary(vr)
        : VolumeReplications.asSecondary(vr);
  }

  static Set<String> members(VolumeGroupReplication vgr) {
    return vgr.getStatus() == null || vgr.getStatus().getPersistentVolumeClaimsRefList() == null
        ? Set.of()
        : vgr.getStatus().getPersistentVolumeClaimsRefList().stream()
            .map(PersistentVolumeClaimsRefList::getName)
            .collect(Collectors.toSet());
  }

  /** Deletes the VGR; true once it is gone (csi-addons disables and deletes the group first). */
  boolean delete(VolumeGroupReplication vgr) {
    var resource =
        client
            .resources(VolumeGroupReplication.class)
            .inNamespace(vgr.getMetadata().getNamespace())
            .withName(vgr.getMetadata().getName());
    resource.delete();
    return resource.get() == null;
  }

  /** The VGRs this VRG made (its owner labels). */
  List<VolumeGroupReplication> ownedBy(VolumeReplicationGroup vrg, Map<String, VolumeGroupReplication> vgrs) {
    return vgrs.values().stream()
        .filter(
            v ->
                v.getMetadata().getLabels() != null
                    && vrg.getMetadata().getName().equals(v.getMetadata().getLabels().get(VrgNames.OWNER_NAME_LABEL)))
        .toList();
  }
}
