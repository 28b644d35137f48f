package dev.replcert.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonReportRendererTest {

  private final CertificationReport report = SampleReports.sample();
  private final String json = new JsonReportRenderer().render(report);

  @Test
  void roundTripsWithJackson() throws Exception {
    CertificationReport back =
        JsonReportRenderer.mapper().readValue(json, CertificationReport.class);

    assertThat(back).isEqualTo(report);
  }

  @Test
  void carriesWhatABotChecks() throws Exception {
    JsonNode tree = JsonReportRenderer.mapper().readTree(json);

    assertThat(tree.at("/schema").asText()).isEqualTo(CertificationReport.SCHEMA);
    assertThat(tree.at("/verdict/verdict").asText()).isEqualTo("CERTIFIED_WITH_WARNINGS");
    assertThat(tree.at("/verdict/reasons/0/message").asText()).isNotEmpty();
    assertThat(tree.at("/run/runId").asText()).isEqualTo(Fixtures.RUN);
    assertThat(tree.at("/run/driver/configuredName").asText()).isEqualTo("reference.replcert.dev");
    assertThat(tree.at("/run/configs/0/config/s3/secretKey").asText()).isEqualTo("<redacted>");
    assertThat(tree.at("/coverage/implemented").asInt()).isEqualTo(4);
    assertThat(tree.at("/capabilities/0/capability").asText()).isEqualTo("replication");
    assertThat(tree.at("/unplannedTests").size()).isEqualTo(1);
    JsonNode failover = tree.at("/items/3");
    assertThat(failover.at("/item/id").asText()).isEqualTo("L2-FO-001");
    assertThat(failover.at("/status").asText()).isEqualTo("PASSED");
    assertThat(failover.at("/tests/0/result/duration").asText()).isEqualTo("PT1.5S");
    assertThat(failover.at("/tests/0/result/evidence/1/unit").asText()).isEqualTo("s");
    JsonNode skippedItem = tree.at("/items/2");
    assertThat(skippedItem.at("/skipKind").asText()).isEqualTo("CAPABILITY");
    assertThat(skippedItem.at("/skipReasons/0").asText())
        .isEqualTo("the profile does not claim volume-group");
  }
}
