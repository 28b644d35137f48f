package dev.replcert.orchestrator.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * metav1.LabelSelector evaluated in Java, as the API server would: the controllers list broadly and
 * filter here, because the lab's CRUD mock ignores set-based selectors. matchLabels and
 * matchExpressions (In, NotIn, Exists, DoesNotExist) are ANDed; a null selector matches nothing
 * (metav1's LabelSelectorAsSelector), an empty one everything.
 */
public final class LabelSelectors {

  private LabelSelectors() {}

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    Map<String, String> wanted =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    boolean labelsMatch =
        wanted.entrySet().stream().allMatch(w -> w.getValue().equals(have.get(w.getKey())));
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    return labelsMatch && expressions.stream().allMatch(r -> satisfies(r, have));
  }

  private static boolean satisfies(
      LabelSelectorRequirement requirement, Map<String, String> labels) {
    String key = requirement.getKey();
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
      case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
      case "Exists" -> labels.containsKey(key);
      case "DoesNotExist" -> !labels.containsKey(key);
      default ->
          throw new IllegalArgumentException(
              "label selector operator '"
                  + requirement.getOperator()
                  + "' is not one of In, NotIn, Exists, DoesNotExist");
    };
  }
}
