package dev.replcert.orchestrator.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class S3ProfilesTest {

  private static final String RAMEN_CONFIG =
      """
      apiVersion: ramendr.openshift.io/v1alpha1
      kind: RamenConfig
      ramenControllerType: dr-cluster
      s3StoreProfiles:
      - s3ProfileName: minio-on-dr1
        s3Bucket: bucket
        s3CompatibleEndpoint: https://minio.dr1.example:9000
        s3Region: us-west-1
        s3SecretRef:
          name: ramen-s3-secret-dr1
          namespace: ramen-system
      - s3ProfileName: minio-on-dr2
        s3Bucket: bucket
        s3CompatibleEndpoint: https://minio.dr2.example:9000
        s3Region: us-east-1
        s3SecretRef:
          name: ramen-s3-secret-dr2
      """;

  @Test
  void readsRamensOperatorConfigMapOnEachLookUp() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(S3Profiles.RAMEN_NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
      S3Profiles profiles =
          S3Profiles.fromRamenConfigMap(
              client, S3Profiles.RAMEN_NAMESPACE, S3Profiles.RAMEN_CONFIG_MAP);
      assertThat(profiles.find("minio-on-dr1")).as("no ConfigMap yet").isEmpty();

      client
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(S3Profiles.RAMEN_CONFIG_MAP)
                  .withNamespace(S3Profiles.RAMEN_NAMESPACE)
                  .endMetadata()
                  .addToData(S3Profiles.RAMEN_CONFIG_KEY, RAMEN_CONFIG)
                  .build())
          .create();

      assertThat(profiles.find("minio-on-dr1"))
          .contains(
              new S3StoreProfile(
                  "minio-on-dr1",
                  "bucket",
                  "https://minio.dr1.example:9000",
                  "us-west-1",
                  "ramen-system",
                  "ramen-s3-secret-dr1"));
      assertThat(profiles.find("minio-on-dr2").orElseThrow().secretNamespace())
          .as("defaults to the operator's namespace later")
          .isNull();
      assertThat(profiles.find("minio-on-dr3")).isEmpty();
    } finally {
      server.destroy();
    }
  }

  @Test
  void keysFollowRamensLayout() {
    assertThat(S3Keys.pv("app", "shop", "pv-1")).isEqualTo("app/shop/v1.PersistentVolume/pv-1");
    assertThat(S3Keys.pvc("app", "shop", "app", "db"))
        .isEqualTo("app/shop/v1.PersistentVolumeClaim/app/db");
    assertThat(S3Keys.prefix("app", "shop")).isEqualTo("app/shop/");
    assertThat(S3Keys.pv("app/", "/shop", "pv-1"))
        .as("consecutive slashes squashed")
        .isEqualTo("app/shop/v1.PersistentVolume/pv-1");
  }
}
