package dev.replcert.orchestrator.hub;

import dev.replcert.orchestrator.k8s.Conditions;
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
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.DRPolicyStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Ramen's hub DRPolicy controller: the Validated condition (reasons as Ramen's), then the peer
 * classes of a valid policy ({@link PolicyPeerClasses}), finalizer {@value
 * HubNames#DRPOLICY_FINALIZER}, deletion held while a DRPlacementControl refers to the policy.
 * A DRCluster change wakes the policies naming it; conflicts with other policies are seen at the
 * next resync.
 */
@ControllerConfiguration(name = "drpolicy", finalizerName = HubNames.DRPOLICY_FINALIZER)
public final class DrPolicyReconciler implements Reconciler<DRPolicy>, Cleaner<DRPolicy> {

  private final KubernetesClient hub;
  private final HubOptions options;
  private final Clock clock;
  private final PolicyPeerClasses peerClasses;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public DrPolicyReconciler(KubernetesClient hub, HubOptions options, Clock clock) {
    this.hub = hub;
    this.options = options;
    this.clock = clock;
    this.peerClasses = new PolicyPeerClasses(hub);
  }

  @Override
  public List<EventSource<?, DRPolicy>> prepareEventSources(EventSourceContext<DRPolicy> context) {
    var clusters =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DRCluster.class, DRPolicy.class)
                .withSecondaryToPrimaryMapper(
                    (DRCluster cluster) ->
                        context
                            .getPrimaryCache()
                            .list(
                                p ->
                                    p.getSpec() != null
                                        && p.getSpec().getDrClusters() != null
                                        && p.getSpec()
                                            .getDrClusters()
                                            .contains(cluster.getMetadata().getName()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(clusters);
  }

  @Override
  public UpdateControl<DRPolicy> reconcile(DRPolicy policy, Context<DRPolicy> context) {
    DRPolicyStatus before = policy.getStatus() == null ? new DRPolicyStatus() : policy.getStatus();
    DRPolicyStatus working = json.clone(before);
    if (working.getConditions() == null) {
      working.setConditions(new ArrayList<>());
    }
    Optional<PolicyValidation.Failure> failure =
        PolicyValidation.validate(
            policy,
            hub.resources(DRCluster.class).list().getItems(),
            hub.resources(DRPolicy.class).list().getItems());
    Long generation = policy.getMetadata().getGeneration();
    failure.ifPresentOrElse(
        f ->
            Conditions.set(
                working.getConditions(),
                HubNames.VALIDATED,
                "False",
                f.reason(),
                f.message(),
                generation,
                clock),
        () ->
            Conditions.set(
                working.getConditions(),
                HubNames.VALIDATED,
                "True",
                HubNames.SUCCEEDED,
                "drpolicy validated",
                generation,
                clock));
    boolean settled = failure.isEmpty() && peerClasses.update(policy, working);
    UpdateControl<DRPolicy> control;
    if (json.asJson(working).equals(json.asJson(before))) {
      control = UpdateControl.noUpdate();
    } else {
      policy.setStatus(working);
      control = UpdateControl.patchStatus(policy);
    }
    return control.rescheduleAfter(settled ? options.resync() : options.retry());
  }

  /** Ramen keeps a policy that a DRPlacementControl still refers to. */
  @Override
  public DeleteControl cleanup(DRPolicy policy, Context<DRPolicy> context) {
    String name = policy.getMetadata().getName();
    boolean referenced =
        hub.resources(DRPlacementControl.class).inAnyNamespace().list().getItems().stream()
            .anyMatch(
                drpc ->
                    drpc.getSpec() != null
                        && drpc.getSpec().getDrPolicyRef() != null
                        && name.equals(drpc.getSpec().getDrPolicyRef().getName()));
    return referenced
        ? DeleteControl.noFinalizerRemoval().rescheduleAfter(options.retry())
        : DeleteControl.defaultDelete();
  }
}
