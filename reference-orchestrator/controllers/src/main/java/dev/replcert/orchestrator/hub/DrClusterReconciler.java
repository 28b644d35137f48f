package dev.replcert.orchestrator.hub;

import dev.replcert.orchestrator.s3.ObjectStores;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ramen's hub DRCluster controller: CIDRs validated (nothing else happens while they are invalid),
 * the cluster's DRClusterConfig delivered ({@link ClusterConfigs}), fencing per {@code
 * spec.clusterFence} ({@link ClusterFencing}), then the S3 profile checked;
 * Validated True/Succeeded when both hold. Finalizer {@value HubNames#DRCLUSTER_FINALIZER}:
 * deletion removes the NetworkFence works and views it made. The views and works it labels wake
 * it, so a peer's report is acted on at once.
 */
@ControllerConfiguration(name = "drcluster", finalizerName = HubNames.DRCLUSTER_FINALIZER)
public final class DrClusterReconciler implements Reconciler<DRCluster>, Cleaner<DRCluster> {

  private final ObjectStores stores;
  private final HubOptions options;
  private final Clock clock;
  private final ClusterFencing fencing;
  private final ClusterConfigs configs;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public DrClusterReconciler(
      KubernetesClient hub, ObjectStores stores, HubOptions options, Clock clock) {
    this.stores = stores;
    this.options = options;
    this.clock = clock;
    this.fencing = new ClusterFencing(hub, options.networkFenceClass());
    this.configs = new ClusterConfigs(hub);
  }

  @Override
  public List<EventSource<?, DRCluster>> prepareEventSources(
      EventSourceContext<DRCluster> context) {
    return List.of(labelled(ManifestWork.class, context), labelled(ManagedClusterView.class, context));
  }

  /** Objects of {@code type} labelled with a DRCluster's name wake that DRCluster. */
  private static <R extends HasMetadata> EventSource<R, DRCluster> labelled(
      Class<R> type, EventSourceContext<DRCluster> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, DRCluster.class)
            .withSecondaryToPrimaryMapper(
                (R object) -> {
                  var labels = object.getMetadata().getLabels();
                  String owner = labels == null ? null : labels.get(HubNames.DRCLUSTER_NAME_LABEL);
                  return owner == null ? Set.of() : Set.of(new ResourceID(owner));
                })
            .build(),
        context);
  }

  @Override
  public UpdateControl<DRCluster> reconcile(DRCluster cluster, Context<DRCluster> context) {
    DRClusterStatus before =
        cluster.getStatus() == null ? new DRClusterStatus() : cluster.getStatus();
    DRClusterStatus working = json.clone(before);
    DrClusterStatusWriter status = new DrClusterStatusWriter(cluster, working, clock);
    boolean settled = check(cluster, status);
    UpdateControl<DRCluster> control;
    if (json.asJson(working).equals(json.asJson(before))) {
      control = UpdateControl.noUpdate();
    } else {
      cluster.setStatus(working);
      control = UpdateControl.patchStatus(cluster);
    }
    return control.rescheduleAfter(settled ? options.resync() : options.retry());
  }

  /** Ramen's order: CIDRs, fencing (independent of S3), S3. True when all settled. */
  private boolean check(DRCluster cluster, DrClusterStatusWriter status) {
    Optional<String> badCidrs = ClusterValidation.invalidCidrs(cluster);
    if (badCidrs.isPresent()) {
      status.validated(false, HubNames.VALIDATION_FAILED, badCidrs.get());
      return false;
    }
    // the cluster's classes reach the hub through its DRClusterConfig (the policies' peer classes)
    boolean configured = configs.deliver(cluster.getMetadata().getName());
    boolean fenceSettled = fencing.reconcile(cluster, status);
    Optional<PolicyValidation.Failure> s3 = ClusterValidation.s3(stores, cluster);
    s3.ifPresentOrElse(
        f -> status.validated(false, f.reason(), f.message()),
        () -> status.validated(true, HubNames.SUCCEEDED, "Validated the cluster"));
    return configured && fenceSettled && s3.isEmpty();
  }

  @Override
  public DeleteControl cleanup(DRCluster cluster, Context<DRCluster> context) {
    configs.remove(cluster.getMetadata().getName());
    return fencing.remove(cluster)
        ? DeleteControl.defaultDelete()
        : DeleteControl.noFinalizerRemoval().rescheduleAfter(options.retry());
  }
}
