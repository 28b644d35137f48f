package dev.replcert.lab.substrate.ocm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.work.v1.manifestworkspec.manifestconfigs.FeedbackRules;
import io.open_cluster_management.work.v1.manifestworkspec.manifestconfigs.feedbackrules.JsonPaths;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.statusfeedback.values.FieldValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The work agent's feedback rules read values from an applied resource as OCM does. */
class StatusFeedbackTest {

  private static final Map<String, Object> DEPLOYMENT =
      Map.of(
          "kind", "Deployment",
          "status",
          Map.of(
              "replicas", 3,
              "readyReplicas", 2,
              "paused", false,
              "conditions",
              List.of(
                  Map.of("type", "Progressing", "status", "True"),
                  Map.of("type", "Available", "status", "False"))));

  private final StatusFeedback feedback = new StatusFeedback(new KubernetesSerialization());

  @Test
  void jsonPathsReadStringsIntegersBooleansFiltersAndRawJson() {
    FeedbackRules rule = new FeedbackRules();
    rule.setType(FeedbackRules.Type.JSONPATHS);
    rule.setJsonPaths(
        List.of(
            path("replicas", ".status.replicas"),
            path("paused", ".status.paused"),
            path("available", ".status.conditions[?(@.type==\"Available\")].status"),
            path("first", ".status.conditions[0].type"),
            path("conditions", ".status.conditions"),
            path("missing", ".status.nothing")));

    StatusFeedback.Result result = feedback.evaluate("Deployment", DEPLOYMENT, List.of(rule));

    assertThat(result.values()).extracting(v -> v.getName() + "=" + text(v.getFieldValue()))
        .containsExactly(
            "replicas=Integer:3",
            "paused=Boolean:false",
            "available=String:False",
            "first=String:Progressing",
            "conditions=JsonRaw:[{\"status\":\"True\",\"type\":\"Progressing\"},{\"status\":\"False\",\"type\":\"Available\"}]");
    assertThat(result.errors()).containsExactly("missing of path .status.nothing is not found");
  }

  @Test
  void wellKnownStatusKnowsDeploymentsAndSaysWhenAKindHasNone() {
    FeedbackRules rule = new FeedbackRules();
    rule.setType(FeedbackRules.Type.WELLKNOWNSTATUS);

    assertThat(feedback.evaluate("Deployment", DEPLOYMENT, List.of(rule)).values())
        .extracting(v -> v.getName() + "=" + text(v.getFieldValue()))
        .containsExactly("ReadyReplicas=Integer:2", "Replicas=Integer:3");
    assertThat(feedback.evaluate("ConfigMap", Map.of(), List.of(rule)).errors())
        .containsExactly("cannot find the wellknown statuses for resource with kind ConfigMap");
  }

  @Test
  void aPathMustStartWithADot() {
    assertThatThrownBy(() -> StatusFeedback.read(DEPLOYMENT, "status.replicas"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starting with '.'");
    assertThat(StatusFeedback.read(DEPLOYMENT, "{.status.replicas}")).contains(3);
  }

  private static JsonPaths path(String name, String path) {
    JsonPaths p = new JsonPaths();
    p.setName(name);
    p.setPath(path);
    return p;
  }

  private static String text(FieldValue value) {
    return switch (value.getType()) {
      case INTEGER -> "Integer:" + value.getInteger();
      case STRING -> "String:" + value.getString();
      case BOOLEAN -> "Boolean:" + value.get_boolean();
      case JSONRAW -> "JsonRaw:" + value.getJsonRaw();
    };
  }
}
