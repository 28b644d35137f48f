package dev.replcert.orchestrator.drpc;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.orchestrator.hub.HubOptions;
import dev.replcert.orchestrator.hub.ManagedClusterViews;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Found;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Seen;
import dev.replcert.orchestrator.hub.ManifestWorks;
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
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlStatus;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ramen's hub DRPlacementControl controller (drplacementcontrol_controller.go): initial
 * deployment, Failover and Relocate as {@link Actions} steps, status by {@link DrpcStatusWriter},
 * finalizer {@value Ramen#DRPC_FINALIZER}. The VRG works and views it makes (annotated with the
 * DRPC's name and namespace) wake it, and so do ManagedCluster and DRCluster changes; anything
 * unsettled is looked at again after {@link HubOptions#retry()}.
 */
@ControllerConfiguration(name = "drplacementcontrol", finalizerName = Ramen.DRPC_FINALIZER)
public final class DrpcReconciler
    implements Reconciler<DRPlacementControl>, Cleaner<DRPlacementControl> {

  private static final Logger LOG = LoggerFactory.getLogger(DrpcReconciler.class);

  private final KubernetesClient hub;
  private final HubOptions options;
  private final Clock clock;
  private final ManifestWorks works;
  private final ManagedClusterViews views;
  private final Placements placements;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public DrpcReconciler(KubernetesClient hub, HubOptions options, Clock clock) {
    this.hub = hub;
    this.options = options;
    this.clock = clock;
    this.works = new ManifestWorks(hub);
    this.views = new ManagedClusterViews(hub);
    this.placements = new Placements(hub);
  }

  @Override
  public List<EventSource<?, DRPlacementControl>> prepareEventSources(
      EventSourceContext<DRPlacementControl> context) {
    return List.of(
        annotated(ManifestWork.class, context),
        annotated(ManagedClusterView.class, context),
        everyDrpc(ManagedCluster.class, context),
        everyDrpc(DRCluster.class, context));
  }

  /** Objects annotated with a DRPC's name and namespace wake that DRPC. */
  private static <R extends HasMetadata> EventSource<R, DRPlacementControl> annotated(
      Class<R> type, EventSourceContext<DRPlacementControl> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, DRPlacementControl.class)
            .withName("drpc-" + type.getSimpleName())
            .withSecondaryToPrimaryMapper(
                (R object) -> {
                  Map<String, String> a = object.getMetadata().getAnnotations();
                  if (a == null
                      || a.get(DrpcNames.DRPC_NAME_ANNOTATION) == null
                      || a.get(DrpcNames.DRPC_NAMESPACE_ANNOTATION) == null) {
                    return Set.of();
                  }
                  return Set.of(
                      new ResourceID(
                          a.get(DrpcNames.DRPC_NAME_ANNOTATION),
                          a.get(DrpcNames.DRPC_NAMESPACE_ANNOTATION)));
                })
            .build(),
        context);
  }

  /** A change of any object of {@code type} wakes every DRPC. */
  private static <R extends HasMetadata> EventSource<R, DRPlacementControl> everyDrpc(
      Class<R> type, EventSourceContext<DRPlacementControl> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, DRPlacementControl.class)
            .withName("drpc-" + type.getSimpleName())
            .withSecondaryToPrimaryMapper(
                (R object) ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  @Override
  public UpdateControl<DRPlacementControl> reconcile(
      DRPlacementControl drpc, Context<DRPlacementControl> context) {
    Pass pass;
    try {
      pass = Pass.load(hub, works, views, placements, drpc);
    } catch (Pass.NotReady e) {
      LOG.info("DRPC {}/{}: {}", drpc.getMetadata().getNamespace(), drpc.getMetadata().getName(),
          e.getMessage());
      return UpdateControl.<DRPlacementControl>noUpdate().rescheduleAfter(options.retry());
    }
    Step step = Progressions.monotonic(pass, Actions.run(pass));
    if (!step.settled()) {
      LOG.debug("DRPC {}/{} {}/{}: {}", drpc.getMetadata().getNamespace(),
          drpc.getMetadata().getName(), step.phase(), step.progression(), step.message());
    }
    DRPlacementControlStatus before =
        drpc.getStatus() == null ? new DRPlacementControlStatus() : drpc.getStatus();
    DRPlacementControlStatus working = json.clone(before);
    new DrpcStatusWriter(drpc, working, clock).write(pass, step);
    UpdateControl<DRPlacementControl> control;
    if (json.asJson(working).equals(json.asJson(before))) {
      control = UpdateControl.noUpdate();
    } else {
      working.setLastUpdateTime(java.time.ZonedDateTime.now(clock));
      drpc.setStatus(working);
      control = UpdateControl.patchStatus(drpc);
    }
    return control.rescheduleAfter(step.settled() ? options.resync() : options.retry());
  }

  /**
   * Ramen's finalizeDRPC / cleanupVRGs: secondary VRG works are deleted first and their VRGs must
   * be gone before the primary's work is deleted; once no VRG is reported the views go, the
   * Namespace works are deleted orphaning the namespace (Ramen's DeleteNamespaceManifestWork), and
   * the finalizer is removed. The PlacementDecision is left, as Ramen leaves it; application PVCs
   * are never touched (the VRG controller keeps them when its VRG goes).
   * A cluster that does not answer does not hold the deletion: its work is deleted and OCM removes
   * the VRG when the cluster is back.
   */
  @Override
  public DeleteControl cleanup(DRPlacementControl drpc, Context<DRPlacementControl> context) {
    String name = drpc.getMetadata().getName();
    String ns = drpc.getMetadata().getNamespace();
    deleting(drpc);
    String workName = DrpcNames.vrgWork(name, ns);
    String viewName = DrpcNames.vrgView(name, ns);
    Set<String> clusters = new LinkedHashSet<>();
    for (ManifestWork w : hub.resources(ManifestWork.class).inAnyNamespace().list().getItems()) {
      if (workName.equals(w.getMetadata().getName())) {
        clusters.add(w.getMetadata().getNamespace());
      }
    }
    for (ManagedClusterView v :
        hub.resources(ManagedClusterView.class).inAnyNamespace().list().getItems()) {
      if (viewName.equals(v.getMetadata().getName())) {
        clusters.add(v.getMetadata().getNamespace());
      }
    }
    boolean waiting = false;
    for (boolean primaryRound : new boolean[] {false, true}) {
      for (String c : clusters) {
        VolumeReplicationGroup delivered =
            works.find(c, workName)
                .flatMap(w -> works.manifest(w, DrpcNames.VRG_KIND, VolumeReplicationGroup.class))
                .orElse(null);
        if (delivered != null && Vrgs.primarySpec(delivered) == primaryRound) {
          works.delete(c, workName);
          waiting = true;
        }
      }
      for (String c : clusters) {
        if (!reachable(c)) {
          continue;
        }
        Seen<VolumeReplicationGroup> seen =
            views.view(c, viewName, Pass.scope(name, ns), null, Pass.ownerAnnotations(drpc),
                VolumeReplicationGroup.class);
        if (seen instanceof Found<VolumeReplicationGroup> f
            && Vrgs.primarySpec(f.object()) == primaryRound) {
          waiting = true;
        } else if (!(seen instanceof ManagedClusterViews.Missing<VolumeReplicationGroup>)
            && !(seen instanceof Found<VolumeReplicationGroup>)) {
          waiting = true; // not answered yet
        }
      }
      if (waiting) {
        LOG.debug("DRPC {}/{} deletion: waiting for {} VRGs to go", ns, name,
            primaryRound ? "primary" : "secondary");
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(options.retry());
      }
    }
    String namespaceWork = DrpcNames.namespaceWork(name, ns);
    for (ManifestWork w : hub.resources(ManifestWork.class).inAnyNamespace().list().getItems()) {
      if (namespaceWork.equals(w.getMetadata().getName())) {
        works.deleteOrphaning(w.getMetadata().getNamespace(), namespaceWork);
      }
    }
    for (String c : clusters) {
      views.delete(c, viewName);
    }
    return DeleteControl.defaultDelete();
  }

  /** Phase and progression Deleting while the VRGs go (best effort: the DRPC may be gone). */
  private void deleting(DRPlacementControl drpc) {
    if (drpc.getStatus() != null
        && Ramen.Phase.DELETING.wire().equals(drpc.getStatus().getPhase())) {
      return;
    }
    try {
      hub.resources(DRPlacementControl.class)
          .inNamespace(drpc.getMetadata().getNamespace())
          .withName(drpc.getMetadata().getName())
          .editStatus(
              d -> {
                if (d.getStatus() == null) {
                  d.setStatus(new DRPlacementControlStatus());
                }
                d.getStatus().setPhase(Ramen.Phase.DELETING.wire());
                d.getStatus().setProgression(Ramen.Progression.DELETING.wire());
                return d;
              });
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      LOG.debug("DRPC {}/{}: status not set to Deleting: {}", drpc.getMetadata().getNamespace(),
          drpc.getMetadata().getName(), e.getMessage());
    }
  }

  private boolean reachable(String cluster) {
    ManagedCluster mc = hub.resources(ManagedCluster.class).withName(cluster).get();
    return mc != null
        && mc.getStatus() != null
        && dev.replcert.orchestrator.k8s.Conditions.is(
            mc.getStatus().getConditions(), DrpcNames.MANAGED_CLUSTER_AVAILABLE, "True", null);
  }
}
