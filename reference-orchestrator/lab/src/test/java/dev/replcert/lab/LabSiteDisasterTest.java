package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A site disaster cuts the site's API server, driver site and S3, and brings all three back. */
class LabSiteDisasterTest {

  private static final Duration FAST = Duration.ofSeconds(3);

  @Test
  void aDownedSiteFailsFastWhileTheOtherWorksAndComesBackWithItsState() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      KubernetesClient east = kube(lab, "east");
      KubernetesClient west = kube(lab, "west");
      KubernetesClient hub = kube(lab, "hub");
      S3Client eastS3 = lab.client(S3Client.class, Optional.of("east")).orElseThrow();
      S3Client westS3 = lab.client(S3Client.class, Optional.of("west")).orElseThrow();
      int eastPort = east.getMasterUrl().getPort();
      int eastS3Port = java.net.URI.create(lab.client(S3Profile.class, Optional.of("east")).orElseThrow().endpoint()).getPort();
      LabClustersTest.create(east, "app", "before-the-disaster", Map.of("written", "east"));
      eastS3.putObject(b -> b.bucket("replcert-east").key("app/vrg"), RequestBody.fromString("east metadata"));

      disasters.takeDown("east");

      assertThat(disasters.isDown("east")).isTrue();
      assertFailsFast(() -> east.configMaps().inNamespace("app").list())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("lab cluster east is down")
          .hasMessageContaining("127.0.0.1:" + eastPort);
      assertThat(listening(eastPort)).as("east's API port while down").isFalse();
      // held for east's return: another lab in the JVM cannot take it
      assertThat(bindable(eastPort)).as("east's API port bindable while down").isFalse();
      assertFailsFast(() -> eastS3.listObjectsV2(b -> b.bucket("replcert-east")))
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("Connection refused");
      assertThat(listening(eastS3Port)).as("east's S3 port while down").isFalse();
      assertThat(bindable(eastS3Port)).as("east's S3 port bindable while down").isFalse();
      LabClustersTest.create(west, "app", "during-the-disaster", Map.of());
      westS3.putObject(b -> b.bucket("replcert-west").key("app/vrg"), RequestBody.fromString("west metadata"));
      // the hub keeps answering
      assertThat(hub.namespaces().list().getItems())
          .extracting(ns -> ns.getMetadata().getName())
          .as("the hub's namespaces (OCM makes one per managed cluster)")
          .contains("east", "west");

      disasters.bringUp("east");

      assertThat(disasters.isDown("east")).isFalse();
      assertThat(east.getMasterUrl().getPort()).isEqualTo(eastPort);
      assertThat(east.configMaps().inNamespace("app").withName("before-the-disaster").get().getData())
          .containsEntry("written", "east");
      assertThat(eastS3.getObjectAsBytes(b -> b.bucket("replcert-east").key("app/vrg")).asUtf8String())
          .isEqualTo("east metadata");
      assertThat(west.configMaps().inNamespace("app").withName("during-the-disaster").get()).isNotNull();
    }
  }

  @Test
  void anInformerOnTheDownedClusterCatchesUpWhenItComesBack() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      KubernetesClient east = kube(lab, "east");
      Set<String> seen = ConcurrentHashMap.newKeySet();
      LabClustersTest.create(east, "app", "before", Map.of());
      SharedIndexInformer<ConfigMap> informer =
          east.configMaps().inNamespace("app").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
              seen.add(cm.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
              seen.add(after.getMetadata().getName());
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknownFinalState) {}
          }, 0);
      try {
        await("informer synced").atMost(Duration.ofSeconds(10)).until(() -> seen.contains("before"));

        long began = System.nanoTime();
        disasters.takeDown("east");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("takeDown with a watch open").isLessThan(FAST);
        disasters.bringUp("east");
        LabClustersTest.create(east, "app", "after", Map.of());

        await("informer sees an object created after the site came back")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> seen.contains("after"));
      } finally {
        informer.close();
      }
    }
  }

  @Test
  void theHubIsNotASiteAndIsNeverTakenDown() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();

      assertThat(disasters.supports("hub")).isFalse();
      assertThatThrownBy(() -> disasters.takeDown("hub"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot take down hub");
      assertThat(kube(lab, "hub").namespaces().list()).isNotNull();
    }
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertFailsFast(ThrowingCallable call) {
    long began = System.nanoTime();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(Duration.ofNanos(System.nanoTime() - began)).as("time to fail").isLessThan(FAST);
    return assertThat(thrown).as("a request to the downed site").isNotNull();
  }

  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean bindable(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static KubernetesClient kube(Environment lab, String cluster) {
    return lab.client(KubernetesClient.class, Optional.of(cluster)).orElseThrow();
  }
}
