package dev.replcert.orchestrator.drpc;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.cluster.v1beta1.Placement;
import io.open_cluster_management.cluster.v1beta1.PlacementDecision;
import io.open_cluster_management.cluster.v1beta1.PlacementDecisionStatus;
import io.open_cluster_management.cluster.v1beta1.placementdecisionstatus.Decisions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OCM Placement a DRPC names and the PlacementDecision Ramen writes for it in place of OCM's
 * scheduler (drplacementcontrol_controller.go createOrUpdatePlacementDecision /
 * createPlacementDecision): decision {@code <placement>-decision-1}, labelled with the placement
 * and {@code velero.io/exclude-from-backup}, owned (controller) by the Placement, status.decisions
 * holding one cluster or none (cleared).
 */
final class Placements {

  static final String DECISION_REASON = "DRPC decision";

  private final KubernetesClient hub;

  Placements(KubernetesClient hub) {
    this.hub = hub;
  }

  Placement placement(String namespace, String name) {
    return hub.resources(Placement.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Annotates the Placement for Ramen: scheduling disabled (Ramen requires the user to do this;
   * done here) and the owning DRPC's name/namespace (Ramen's annotateObject). True when written.
   */
  boolean own(Placement placement, String drpcName, String drpcNamespace) {
    Map<String, String> want = new HashMap<>();
    want.put(DrpcNames.SCHEDULING_DISABLE_ANNOTATION, "true");
    want.put(DrpcNames.DRPC_NAME_ANNOTATION, drpcName);
    want.put(DrpcNames.DRPC_NAMESPACE_ANNOTATION, drpcNamespace);
    Map<String, String> have = placement.getMetadata().getAnnotations();
    if (have != null && want.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())))) {
      return false;
    }
    hub.resources(Placement.class)
        .inNamespace(placement.getMetadata().getNamespace())
        .withName(placement.getMetadata().getName())
        .edit(
            p -> {
              Map<String, String> annotations =
                  p.getMetadata().getAnnotations() == null
                      ? new HashMap<>()
                      : new HashMap<>(p.getMetadata().getAnnotations());
              annotations.putAll(want);
              p.getMetadata().setAnnotations(annotations);
              return p;
            });
    return true;
  }

  /** The PlacementDecisions of the placement (by label), as Ramen lists them. */
  List<PlacementDecision> decisions(Placement placement) {
    return hub.resources(PlacementDecision.class)
        .inNamespace(placement.getMetadata().getNamespace())
        .withLabel(DrpcNames.PLACEMENT_LABEL, placement.getMetadata().getName())
        .list()
        .getItems();
  }

  /** The cluster the placement decides, or null (no decision, or cleared). */
  String decided(Placement placement) {
    for (PlacementDecision d : decisions(placement)) {
      if (d.getStatus() != null
          && d.getStatus().getDecisions() != null
          && !d.getStatus().getDecisions().isEmpty()) {
        return d.getStatus().getDecisions().get(0).getClusterName();
      }
    }
    return null;
  }

  /**
   * Makes the placement decide {@code cluster} (null: no cluster, Ramen's "clear"); true when
   * something was written.
   */
  boolean decide(Placement placement, String cluster) {
    List<PlacementDecision> existing = decisions(placement);
    PlacementDecision decision;
    if (existing.isEmpty()) {
      decision = new PlacementDecision();
      decision.getMetadata().setName(DrpcNames.decision(placement.getMetadata().getName()));
      decision.getMetadata().setNamespace(placement.getMetadata().getNamespace());
      decision
          .getMetadata()
          .setLabels(
              Map.of(
                  DrpcNames.PLACEMENT_LABEL,
                  placement.getMetadata().getName(),
                  DrpcNames.EXCLUDE_FROM_BACKUP_LABEL,
                  "true"));
      decision
          .getMetadata()
          .setOwnerReferences(
              List.of(
                  new OwnerReferenceBuilder()
                      .withApiVersion(placement.getApiVersion())
                      .withKind(placement.getKind())
                      .withName(placement.getMetadata().getName())
                      .withUid(placement.getMetadata().getUid())
                      .withController(true)
                      .withBlockOwnerDeletion(true)
                      .build()));
      decision = hub.resource(decision).create();
    } else {
      decision = existing.get(0);
    }
    List<Decisions> want = new ArrayList<>();
    if (cluster != null) {
      Decisions d = new Decisions();
      d.setClusterName(cluster);
      d.setReason(DECISION_REASON);
      want.add(d);
    }
    List<Decisions> have =
        decision.getStatus() == null || decision.getStatus().getDecisions() == null
            ? List.of()
            : decision.getStatus().getDecisions();
    if (have.size() == want.size()
        && (want.isEmpty()
            || Objects.equals(have.get(0).getClusterName(), want.get(0).getClusterName()))) {
      return false;
    }
    PlacementDecisionStatus status = new PlacementDecisionStatus();
    status.setDecisions(want);
    decision.setStatus(status);
    hub.resource(decision).updateStatus();
    return true;
  }
}
