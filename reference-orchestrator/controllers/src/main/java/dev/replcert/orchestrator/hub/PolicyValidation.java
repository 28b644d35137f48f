package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.Ramen.DrClusterCondition;
import dev.replcert.orchestrator.k8s.Conditions;
import dev.replcert.orchestrator.k8s.LabelSelectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a DRPolicy is valid, in Ramen's order (drpolicy_controller.go): what the CRD would have
 * refused (the lab's mock API server enforces no schema), the DRClusters it names, then conflicts
 * with older policies. Peer classes are derived after validation ({@link PolicyPeerClasses}).
 */
final class PolicyValidation {

  /** Why a policy is not valid: the Validated condition's reason and message. */
  record Failure(String reason, String message) {}

  /** The CRD's pattern for {@code schedulingInterval}; empty means Metro (sync). */
  private static final Pattern INTERVAL = Pattern.compile("^(|\\d+[mhd])$");

  private PolicyValidation() {}

  static Optional<Failure> validate(
      DRPolicy policy, List<DRCluster> clusters, List<DRPolicy> policies) {
    return schema(policy)
        .or(() -> clustersAvailable(policy, clusters))
        .or(() -> conflict(policy, policies));
  }

  private static Optional<Failure> schema(DRPolicy policy) {
    var spec = policy.getSpec();
    List<String> names = spec == null || spec.getDrClusters() == null ? List.of() : spec.getDrClusters();
    if (names.isEmpty()) {
      return failed(HubNames.VALIDATION_FAILED, "missing DRClusters list in policy");
    }
    if (names.size() != 2 || new HashSet<>(names).size() != 2) {
      return failed(
          HubNames.VALIDATION_FAILED,
          "drClusters must name exactly two distinct clusters, found " + names);
    }
    String interval = spec.getSchedulingInterval() == null ? "" : spec.getSchedulingInterval();
    if (!INTERVAL.matcher(interval).matches()) {
      return failed(
          HubNames.VALIDATION_FAILED,
          "schedulingInterval '" + interval + "' does not match ^(|\\d+[mhd])$");
    }
    return selector("replicationClassSelector", spec.getReplicationClassSelector())
        .or(() -> selector("volumeSnapshotClassSelector", spec.getVolumeSnapshotClassSelector()))
        .or(
            () ->
                selector(
                    "volumeGroupSnapshotClassSelector",
                    spec.getVolumeGroupSnapshotClassSelector()));
  }

  /** A selector the API server would reject (unknown operator, In without values...). */
  private static Optional<Failure> selector(String field, LabelSelector selector) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return Optional.empty();
    }
    try {
      LabelSelectors.matches(selector, Map.of());
    } catch (IllegalArgumentException e) {
      return failed(HubNames.VALIDATION_FAILED, field + ": " + e.getMessage());
    }
    for (var r : selector.getMatchExpressions()) {
      boolean needsValues = "In".equals(r.getOperator()) || "NotIn".equals(r.getOperator());
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (needsValues != hasValues) {
        return failed(
            HubNames.VALIDATION_FAILED,
            field
                + ": operator "
                + r.getOperator()
                + (needsValues ? " needs values" : " takes no values"));
      }
    }
    return Optional.empty();
  }

  /** Ramen's ensureDRClustersAvailable: all named DRClusters exist, at least one is Validated. */
  private static Optional<Failure> clustersAvailable(DRPolicy policy, List<DRCluster> clusters) {
    List<String> names = policy.getSpec().getDrClusters();
    List<DRCluster> named =
        clusters.stream().filter(c -> names.contains(c.getMetadata().getName())).toList();
    if (named.size() != names.size()) {
      return failed(
          HubNames.DRCLUSTER_NOT_FOUND,
          "failed to find DRClusters specified in policy (" + String.join(" ", names) + ")");
    }
    boolean anyValidated =
        named.stream()
            .anyMatch(
                c ->
                    c.getStatus() != null
                        && Conditions.is(
                            c.getStatus().getConditions(),
                            DrClusterCondition.VALIDATED.wire(),
                            "True",
                            null));
    return anyValidated
        ? Optional.empty()
        : failed(
            HubNames.DRCLUSTERS_UNAVAILABLE,
            "none of the DRClusters are validated (" + String.join(" ", names) + ")");
  }

  /**
   * Ramen's HasConflictingDRPolicy: two policies sharing a cluster conflict when either is Metro.
   * Only the newer of the two is invalidated, so the pair does not oscillate.
   */
  private static Optional<Failure> conflict(DRPolicy policy, List<DRPolicy> policies) {
    Set<String> mine = Set.copyOf(policy.getSpec().getDrClusters());
    for (DRPolicy other : policies) {
      if (Objects.equals(other.getMetadata().getName(), policy.getMetadata().getName())
          || other.getSpec() == null
          || other.getSpec().getDrClusters() == null
          || older(policy, other)) {
        continue;
      }
      boolean shared = other.getSpec().getDrClusters().stream().anyMatch(mine::contains);
      if (shared && (metro(policy) || metro(other))) {
        return failed(
            HubNames.CONFLICT_FOUND,
            "drpolicy: "
                + policy.getMetadata().getName()
                + " has overlapping clusters with another drpolicy "
                + other.getMetadata().getName());
      }
    }
    return Optional.empty();
  }

  /**
   * {@code a} was created before {@code b}; creationTimestamps have one-second resolution, so
   * policies created in the same second are ordered by name (else both would be invalidated).
   */
  private static boolean older(DRPolicy a, DRPolicy b) {
    int byTime = created(a).compareTo(created(b));
    return byTime != 0
        ? byTime < 0
        : a.getMetadata().getName().compareTo(b.getMetadata().getName()) < 0;
  }

  /** An empty interval is Metro (synchronous) DR. */
  static boolean metro(DRPolicy policy) {
    String interval = policy.getSpec().getSchedulingInterval();
    return interval == null || interval.isEmpty();
  }

  private static ZonedDateTime created(DRPolicy policy) {
    String at = policy.getMetadata().getCreationTimestamp();
    return at == null ? ZonedDateTime.now() : ZonedDateTime.parse(at);
  }

  private static Optional<Failure> failed(String reason, String message) {
    return Optional.of(new Failure(reason, message));
  }
}
