package dev.replcert.api.k8s;

import io.open_cluster_management.work.v1.ManifestWork;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.Manifests;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.statusfeedback.Values;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.statusfeedback.values.FieldValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Strings of Open Cluster Management (ManifestWork, ManagedClusterView, Placement) and a reader for
 * ManifestWork status feedback, which OCM reports per manifest as typed name/value pairs.
 */
public final class Ocm {

  /** Label a PlacementDecision carries with the name of its Placement. */
  public static final String PLACEMENT_LABEL = "cluster.open-cluster-management.io/placement";

  /** Condition type of a ManagedClusterView whose result is current. */
  public static final String VIEW_CONDITION_PROCESSING = "Processing";

  private Ocm() {}

  /** Condition types of a ManifestWork and of each of its manifests. */
  public enum WorkCondition implements WireValue {
    APPLIED("Applied"),
    AVAILABLE("Available"),
    PROGRESSING("Progressing"),
    DEGRADED("Degraded"),
    /** Per manifest: the status feedback was collected. */
    STATUS_FEEDBACK_SYNCED("StatusFeedbackSynced");

    private final String wire;

    WorkCondition(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static WorkCondition parse(String value) {
      return WireValue.parse(WorkCondition.class, value);
    }
  }

  /** {@code feedbackRules[].type}: the well-known status fields of a kind, or JSON paths. */
  public enum FeedbackRule implements WireValue {
    WELL_KNOWN_STATUS("WellKnownStatus"),
    JSON_PATHS("JSONPaths");

    private final String wire;

    FeedbackRule(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static FeedbackRule parse(String value) {
      return WireValue.parse(FeedbackRule.class, value);
    }
  }

  /** {@code fieldValue.type} of a feedback value; it says which of the value fields is set. */
  public enum FeedbackType implements WireValue {
    INTEGER("Integer"),
    STRING("String"),
    BOOLEAN("Boolean"),
    JSON_RAW("JsonRaw");

    private final String wire;

    FeedbackType(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static FeedbackType parse(String value) {
      return WireValue.parse(FeedbackType.class, value);
    }
  }

  /**
   * The feedback value {@code name} reported for the manifest of {@code kind}/{@code name}, as a
   * string (integers and booleans in their JSON form, raw JSON as is).
   */
  public static Optional<String> feedback(
      ManifestWork work, String kind, String resourceName, String valueName) {
    if (work.getStatus() == null || work.getStatus().getResourceStatus() == null) {
      return Optional.empty();
    }
    List<Manifests> manifests = work.getStatus().getResourceStatus().getManifests();
    if (manifests == null) {
      return Optional.empty();
    }
    return manifests.stream()
        .filter(m -> m.getResourceMeta() != null)
        .filter(m -> Objects.equals(kind, m.getResourceMeta().getKind()))
        .filter(m -> Objects.equals(resourceName, m.getResourceMeta().getName()))
        .filter(m -> m.getStatusFeedback() != null && m.getStatusFeedback().getValues() != null)
        .flatMap(m -> m.getStatusFeedback().getValues().stream())
        .filter(v -> valueName.equals(v.getName()) && v.getFieldValue() != null)
        .map(Values::getFieldValue)
        .map(Ocm::text)
        .findFirst();
  }

  private static String text(FieldValue value) {
    FeedbackType type = FeedbackType.parse(value.getType().getValue());
    return switch (type) {
      case INTEGER -> String.valueOf(value.getInteger());
      case STRING -> value.getString();
      case BOOLEAN -> String.valueOf(value.get_boolean());
      case JSON_RAW -> value.getJsonRaw();
    };
  }
}
