package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.api.k8s.Ramen.VrgState;
import dev.replcert.orchestrator.k8s.Conditions;
import dev.replcert.orchestrator.k8s.LabelSelectors;
import dev.replcert.orchestrator.s3.S3Errors;
import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Keys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupStatus;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managed-cluster VolumeReplicationGroup controller. Level-triggered: every reconcile reads the
 * cluster afresh and derives what to do, so a restart at any point converges. PVC and VR events
 * wake the VRG that selects or owns them; anything not settled (a VR not ready yet, an S3 that did
 * not answer, a PVC still in use) is retried after {@link VrgOptions#retry()}.
 */
@ControllerConfiguration(name = "volumereplicationgroup", finalizerName = VrgNames.VRG_FINALIZER)
public final class VrgReconciler
    implements Reconciler<VolumeReplicationGroup>, Cleaner<VolumeReplicationGroup> {

  private static final Logger LOG = LoggerFactory.getLogger(VrgReconciler.class);

  private static final String VGR_CRD = "volumegroupreplications.replication.storage.openshift.io";

  private final KubernetesClient client;
  private final ObjectStores stores;
  private final VrgOptions options;
  private final Clock clock;
  private final KubernetesSerialization json = new KubernetesSerialization();
  private final VrgObjectUpload vrgObject;
  private final PrimaryElsewhere primaryElsewhere;

  public VrgReconciler(
      KubernetesClient client, ObjectStores stores, VrgOptions options, Clock clock) {
    this.client = client;
    this.stores = stores;
    this.options = options;
    this.clock = clock;
    this.vrgObject = new VrgObjectUpload(stores, clock);
    this.primaryElsewhere = new PrimaryElsewhere(stores);
  }

  @Override
  public List<EventSource<?, VolumeReplicationGroup>> prepareEventSources(
      EventSourceContext<VolumeReplicationGroup> context) {
    var pvcs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    PersistentVolumeClaim.class, VolumeReplicationGroup.class)
                .withSecondaryToPrimaryMapper(
                    (PersistentVolumeClaim pvc) ->
                        context
                            .getPrimaryCache()
                            .list(pvc.getMetadata().getNamespace())
                            .filter(
                                vrg ->
                                    LabelSelectors.matches(
                                            vrg.getSpec().getPvcSelector(),
                                            pvc.getMetadata().getLabels())
                                        || PvcProtection.isProtectedBy(vrg, pvc))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    var vrs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    VolumeReplication.class, VolumeReplicationGroup.class)
                .withSecondaryToPrimaryMapper(VrgReconciler::ownerVrg)
                .build(),
            context);
    if (!groupsInstalled()) {
      return List.of(pvcs, vrs);
    }
    // a consistency group's VGR mirrors its VR (which carries no owner labels): the VGR wakes
    // its VRG
    var vgrs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    VolumeGroupReplication.class, VolumeReplicationGroup.class)
                .withSecondaryToPrimaryMapper(VrgReconciler::ownerVrg)
                .build(),
            context);
    return List.of(pvcs, vrs, vgrs);
  }

  /** The VRG named by an object's owner labels (what a VRG creates carries them). */
  private static Set<ResourceID> ownerVrg(HasMetadata object) {
    var labels = object.getMetadata().getLabels();
    return labels == null || labels.get(VrgNames.OWNER_NAME_LABEL) == null
        ? Set.of()
        : Set.of(
            new ResourceID(
                labels.get(VrgNames.OWNER_NAME_LABEL), labels.get(VrgNames.OWNER_NAMESPACE_LABEL)));
  }

  /** Consistency groups need csi-addons' VolumeGroupReplication CRD; without it none is watched. */
  private boolean groupsInstalled() {
    boolean installed =
        client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(VGR_CRD)
                .get()
            != null;
    if (!installed) {
      LOG.warn(
          "no CRD {} on this cluster: VRGs annotated {}=true cannot protect their claims",
          VGR_CRD,
          VrgNames.CG_ENABLED_ANNOTATION);
    }
    return installed;
  }

  @Override
  public UpdateControl<VolumeReplicationGroup> reconcile(
      VolumeReplicationGroup vrg, Context<VolumeReplicationGroup> context) {
    VolumeReplicationGroupStatus before =
        vrg.getStatus() == null ? new VolumeReplicationGroupStatus() : vrg.getStatus();
    String beforeJson = json.asJson(before);
    VolumeReplicationGroupStatus working = json.clone(before);
    VrgStatusWriter status = new VrgStatusWriter(vrg, working, clock);
    boolean primary = vrg.getSpec().getReplicationState() == ReplicationState.PRIMARY;
    boolean settled;
    if (vrg.getSpec().getAsync() == null && vrg.getSpec().getSync() == null) {
      status.set(
          VrgCondition.DATA_READY,
          "False",
          VrgReasons.ERROR,
          "neither of sync or async mode is enabled");
      settled = false;
    } else {
      // checked before promoting only: a VRG already reporting Primary is left to the hub's
      // demotion (a Failover with both clusters up promotes the peer first, Ramen's order)
      boolean promoting = !VrgState.PRIMARY.wire().equals(before.getState());
      String conflict =
          primary && promoting && !failover(vrg) ? primaryElsewhere.conflict(vrg) : null;
      if (conflict != null) {
        refusePrimary(status, conflict);
        settled = false;
      } else {
        settled =
            primary
                ? new AsPrimary(client, stores).reconcile(vrg, status)
                : new AsSecondary(client).reconcile(vrg, status);
        VrgSummary.summarise(vrg, status, primary);
        settled &= protectVrgObject(vrg, status, primary);
        noConflict(status);
      }
    }
    UpdateControl<VolumeReplicationGroup> control;
    if (json.asJson(working).equals(beforeJson)) {
      control = UpdateControl.noUpdate();
    } else {
      working.setLastUpdateTime(ZonedDateTime.now(clock));
      vrg.setStatus(working);
      control = UpdateControl.patchStatus(vrg);
    }
    return control.rescheduleAfter(settled ? options.resync() : options.retry());
  }

  private static boolean failover(VolumeReplicationGroup vrg) {
    return vrg.getSpec().getAction() == VolumeReplicationGroupSpec.Action.FAILOVER;
  }

  /**
   * Another VRG says it is Primary ({@link PrimaryElsewhere}): nothing is restored or promoted, the
   * VRG is not Primary and says why (Ramen's NoClusterDataConflict condition and reason), and the
   * check is repeated until that VRG's object says otherwise. ClusterDataReady False also keeps
   * this VRG from uploading its object over the other's.
   */
  private static void refusePrimary(VrgStatusWriter status, String conflict) {
    for (VrgCondition type :
        List.of(
            VrgCondition.DATA_READY,
            VrgCondition.DATA_PROTECTED,
            VrgCondition.CLUSTER_DATA_READY,
            VrgCondition.NO_CLUSTER_DATA_CONFLICT)) {
      status.set(type, "False", VrgReasons.CLUSTER_DATA_CONFLICT_PRIMARY, conflict);
    }
    status.status().setState(VrgState.UNKNOWN.wire());
    status.status().setLastGroupSyncTime(null);
    status.status().setObservedGeneration(status.generation());
  }

  /** NoClusterDataConflict is reported only once a conflict was seen; then it clears here. */
  private static void noConflict(VrgStatusWriter status) {
    if (Conditions.find(
            status.status().getConditions(), VrgCondition.NO_CLUSTER_DATA_CONFLICT.wire())
        .isPresent()) {
      status.set(
          VrgCondition.NO_CLUSTER_DATA_CONFLICT,
          "True",
          VrgReasons.NO_CONFLICT_DETECTED,
          "No other VolumeReplicationGroup reports Primary in S3");
    }
  }

  /**
   * A primary uploads its own object once its cluster data is restored (Ramen's processAsPrimary
   * restores before it protects, and a restore may read what the peer uploaded). A failed profile
   * shows as ClusterDataProtected False/UploadError, as a failed PV upload does, until it succeeds.
   * A secondary replaces its own object once it reports Secondary (see {@link VrgObjectUpload}), so
   * a relocate target's stale-primary check sees it demoted; a failure there is retried.
   */
  private boolean protectVrgObject(
      VolumeReplicationGroup vrg, VrgStatusWriter status, boolean primary) {
    if (Boolean.TRUE.equals(vrg.getSpec().getDryRun())) {
      return true;
    }
    if (!primary) {
      if (!VrgState.SECONDARY.wire().equals(status.status().getState())) {
        return true;
      }
      String failure = vrgObject.upload(vrg, status.status());
      if (failure != null) {
        LOG.warn(
            "Secondary VRG {}/{}: {}",
            vrg.getMetadata().getNamespace(),
            vrg.getMetadata().getName(),
            failure);
      }
      return failure == null;
    }
    // restored once (at any generation: final sync skips the per-generation restore)
    boolean restored =
        Conditions.find(status.status().getConditions(), VrgCondition.CLUSTER_DATA_READY.wire())
            .filter(c -> "True".equals(c.getStatus()))
            .isPresent();
    if (!restored) {
      return true;
    }
    String failure = vrgObject.upload(vrg, status.status());
    if (failure == null) {
      return true;
    }
    boolean pvUploadFailed =
        Conditions.find(
                status.status().getConditions(),
                VrgCondition.CLUSTER_DATA_PROTECTED.wire())
            .filter(c -> VrgReasons.UPLOAD_ERROR.equals(c.getReason()))
            .isPresent();
    if (!pvUploadFailed) {
      status.set(
          VrgCondition.CLUSTER_DATA_PROTECTED,
          "False",
          VrgReasons.UPLOAD_ERROR,
          failure);
    }
    return false;
  }

  /**
   * Ramen's VRG deletion: every PVC it protects loses its VR and the protection (PVCs are never
   * deleted); a primary's S3 keys are removed, best effort (a downed S3 must not keep the VRG).
   */
  @Override
  public DeleteControl cleanup(
      VolumeReplicationGroup vrg, Context<VolumeReplicationGroup> context) {
    PvcProtection protection = new PvcProtection(client);
    ClusterState cluster = ClusterState.read(client, vrg);
    boolean waiting = false;
    // a consistency group's VGR goes first: csi-addons disables the group's replication and
    // deletes the group (never its volumes) before it lets the VGR go
    GroupReplications groups = new GroupReplications(client);
    for (VolumeGroupReplication vgr : groups.ownedBy(vrg, cluster.groups().vgrs())) {
      waiting |= !groups.delete(vgr);
    }
    for (PersistentVolumeClaim pvc : cluster.pvcs()) {
      if (!PvcProtection.isProtectedBy(vrg, pvc)
          && !(PvcProtection.hasFinalizer(pvc) && cluster.selected().contains(pvc))) {
        continue;
      }
      VolumeReplication vr = cluster.vrs().get(pvc.getMetadata().getName());
      if (vr != null) {
        client.resource(vr).delete();
        waiting = true;
        continue;
      }
      protection.unprotect(vrg, pvc, cluster.pvOf(pvc), true);
    }
    if (waiting) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(options.retry());
    }
    if (vrg.getSpec().getReplicationState() == ReplicationState.PRIMARY) {
      deleteS3Keys(vrg);
    }
    vrgObject.forget(vrg);
    return DeleteControl.defaultDelete();
  }

  private void deleteS3Keys(VolumeReplicationGroup vrg) {
    Set<String> profiles = Set.copyOf(vrg.getSpec().getS3Profiles());
    for (String profile : profiles) {
      try {
        ObjectStore store = stores.open(profile);
        store.deleteAll(
            S3Keys.prefix(vrg.getMetadata().getNamespace(), vrg.getMetadata().getName()));
      } catch (RuntimeException e) {
        LOG.warn(
            "VRG {}/{} deleted; its S3 keys in profile {} stay: {}",
            vrg.getMetadata().getNamespace(),
            vrg.getMetadata().getName(),
            profile,
            S3Errors.describe(e));
      }
    }
  }
}
