package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.harness.config.ConfigLoader;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.ReplicationSchedule;
import dev.replcert.refdriver.Defect;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LabEnvironmentTest {

  @Test
  void startsTwoSitesThatAnswerAndRemovesEverythingOnClose() {
    Path root;
    try (Environment lab = start(Map.of(LabSettings.SYNC_PERIOD, "250ms"))) {
      DriverEndpoint east = endpoint(lab, "east");
      DriverEndpoint west = endpoint(lab, "west");
      assertThat(probe(east.csi())).isTrue();
      assertThat(probe(west.csi())).isTrue();
      assertThat(probe(east.node())).isTrue();
      assertThat(lab.client(ReplicationSchedule.class, Optional.empty()))
          .contains(new ReplicationSchedule(Duration.ofMillis(250)));
      assertThat(lab.driverIdentity()).hasValueSatisfying(d -> assertThat(d.reportedName()).isEqualTo("reference.replcert.dev"));
      assertThat(lab.client(CallLog.class, Optional.empty()).orElseThrow().since(0)).isNotEmpty();
      root = ((LabEnvironment) lab).root();
      assertThat(root).isDirectory();
    }
    assertThat(root).doesNotExist();
  }

  @Test
  void aSiteTakenDownStopsAnsweringAndComesBackWhenBroughtUp() {
    try (Environment lab = start(Map.of())) {
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      DriverEndpoint east = endpoint(lab, "east");

      disasters.takeDown("east");

      assertThat(disasters.isDown("east")).isTrue();
      assertThatThrownBy(() -> probe(east.csi()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(probe(endpoint(lab, "west").csi())).isTrue();

      disasters.bringUp("east");

      assertThat(disasters.isDown("east")).isFalse();
      assertThat(probe(east.csi())).isTrue();
    }
  }

  @Test
  void anUnknownDefectIsRejectedNamingTheKnownOnes() {
    assertThatThrownBy(() -> LabSettings.from(k -> Optional.ofNullable(Map.of(LabSettings.DEFECTS, "NO_SUCH").get(k))))
        .hasMessageContaining("unknown defect 'NO_SUCH'")
        .hasMessageContaining(Defect.SPLIT_BRAIN_ALLOWED.name());
    assertThat(
            LabSettings.from(
                    k -> Optional.ofNullable(Map.of(LabSettings.DEFECTS, "SPLIT_BRAIN_ALLOWED, FORCE_IGNORED").get(k)))
                .defects())
        .containsExactlyInAnyOrder(Defect.SPLIT_BRAIN_ALLOWED, Defect.FORCE_IGNORED);
  }

  private static Environment start(Map<String, String> parameters) {
    return new LabEnvironmentProvider()
        .start(ConfigLoader.defaults(), k -> Optional.ofNullable(parameters.get(k)));
  }

  private static DriverEndpoint endpoint(Environment lab, String site) {
    return lab.client(DriverEndpoint.class, Optional.of(site)).orElseThrow();
  }

  private static boolean probe(Channel channel) {
    return IdentityGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .probe(ProbeRequest.getDefaultInstance())
        .getReady()
        .getValue();
  }
}
