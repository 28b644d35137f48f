package dev.replcert.orchestrator.drcconfig;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClass;
import io.openshift.ramendr.v1alpha1.DRClusterConfig;
import io.openshift.ramendr.v1alpha1.DRClusterConfigStatus;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Ramen's DR-cluster DRClusterConfig controller: the hub delivers one DRClusterConfig per managed
 * cluster; this lists in its status the cluster's classes that carry Ramen's labels, which the hub
 * reads (through views) to derive each DRPolicy's peer classes. StorageClasses and
 * VolumeSnapshotClasses count with a {@code storageid}, (group) replication classes with a {@code
 * replicationid}; NetworkFenceClasses all. A kind whose CRD the cluster lacks lists nothing.
 * StorageClass and VolumeReplicationClass changes wake it; the other kinds are read again at each
 * resync.
 */
@ControllerConfiguration(name = "drclusterconfig")
public final class DrClusterConfigReconciler implements Reconciler<DRClusterConfig> {

  /** The condition Ramen sets once the classes are listed. */
  static final String PROCESSED = "Processed";

  private final KubernetesClient client;
  private final Duration resync;
  private final Clock clock;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public DrClusterConfigReconciler(KubernetesClient client, Duration resync, Clock clock) {
    this.client = client;
    this.resync = resync;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, DRClusterConfig>> prepareEventSources(
      EventSourceContext<DRClusterConfig> context) {
    return List.of(wakesAll(StorageClass.class, context), wakesAll(VolumeReplicationClass.class, context));
  }

  /** Any change of a class of {@code type} wakes every DRClusterConfig (there is one per cluster). */
  private static <R extends HasMetadata> EventSource<R, DRClusterConfig> wakesAll(
      Class<R> type, EventSourceContext<DRClusterConfig> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, DRClusterConfig.class)
            .withSecondaryToPrimaryMapper(
                (R changed) ->
                    context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(),
        context);
  }

  @Override
  public UpdateControl<DRClusterConfig> reconcile(DRClusterConfig config, Context<DRClusterConfig> context) {
    DRClusterConfigStatus before = config.getStatus() == null ? new DRClusterConfigStatus() : config.getStatus();
    DRClusterConfigStatus working = json.clone(before);
    working.setStorageClasses(names(StorageClass.class, labelled(Ramen.STORAGE_ID_LABEL)));
    working.setVolumeSnapshotClasses(names(VolumeSnapshotClass.class, labelled(Ramen.STORAGE_ID_LABEL)));
    working.setVolumeReplicationClasses(names(VolumeReplicationClass.class, labelled(Ramen.REPLICATION_ID_LABEL)));
    working.setVolumeGroupReplicationClasses(
        names(VolumeGroupReplicationClass.class, labelled(Ramen.REPLICATION_ID_LABEL)));
    working.setNetworkFenceClasses(names(NetworkFenceClass.class, c -> true));
    if (working.getConditions() == null) {
      working.setConditions(new ArrayList<>());
    }
    Conditions.set(working.getConditions(), PROCESSED, "True", "Succeeded", "Configuration processed and validated",
        config.getMetadata().getGeneration(), clock);
    UpdateControl<DRClusterConfig> control;
    if (json.asJson(working).equals(json.asJson(before))) {
      control = UpdateControl.noUpdate();
    } else {
      config.setStatus(working);
      control = UpdateControl.patchStatus(config);
    }
    return control.rescheduleAfter(resync);
  }

  private static Predicate<HasMetadata> labelled(String key) {
    return o -> {
      Map<String, String> labels = o.getMetadata().getLabels();
      return labels != null && labels.get(key) != null && !labels.get(key).isEmpty();
    };
  }

  /** Sorted names of the classes of {@code type} that pass; none where the kind is not installed. */
  private <R extends HasMetadata> List<String> names(Class<R> type, Predicate<HasMetadata> keep) {
    try {
      return client.resources(type).list().getItems().stream()
          .filter(keep)
          .map(o -> o.getMetadata().getName())
          .sorted()
          .toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw e;
    }
  }
}
