package dev.replcert.lab;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.orchestrator.s3.S3Profiles;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Ramen's operators find installed in {@code ramen-system} on a real cluster, for the lab's
 * S3 stores: the operator ConfigMap ({@value S3Profiles#RAMEN_CONFIG_MAP} on a managed cluster,
 * {@value #HUB_CONFIG_MAP} on the hub) whose RamenConfig lists an S3 profile per site, and a Secret
 * per profile with its keys. Every cluster lists every site's store, so a VRG protects to both and
 * the survivor of a disaster can restore from its own. Written once, into the lab's fresh
 * clusters; the API servers keep it across site disasters.
 */
final class LabRamenConfig {

  static final String NAMESPACE = S3Profiles.RAMEN_NAMESPACE;
  static final String HUB_CONFIG_MAP = "ramen-hub-operator-config";

  private LabRamenConfig() {}

  /** On a managed cluster: {@code ramenControllerType: dr-cluster}. */
  static void installManaged(KubernetesClient cluster, List<S3Profile> stores) {
    install(cluster, S3Profiles.RAMEN_CONFIG_MAP, "dr-cluster", stores);
  }

  /** On the hub: {@code ramenControllerType: dr-hub}. */
  static void installHub(KubernetesClient hub, List<S3Profile> stores) {
    install(hub, HUB_CONFIG_MAP, "dr-hub", stores);
  }

  private static void install(
      KubernetesClient cluster, String configMap, String controllerType, List<S3Profile> stores) {
    cluster
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    for (S3Profile store : stores) {
      cluster
          .secrets()
          .inNamespace(NAMESPACE)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(store.name())
                  .withNamespace(NAMESPACE)
                  .endMetadata()
                  .withType("Opaque")
                  .addToData("AWS_ACCESS_KEY_ID", base64(store.accessKeyId().reveal()))
                  .addToData("AWS_SECRET_ACCESS_KEY", base64(store.secretAccessKey().reveal()))
                  .build())
          .create();
    }
    cluster
        .configMaps()
        .inNamespace(NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(configMap)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToData(
                    S3Profiles.RAMEN_CONFIG_KEY,
                    cluster.getKubernetesSerialization().asYaml(ramenConfig(controllerType, stores)))
                .build())
        .create();
  }

  /**
   * Ramen's RamenConfig with its {@code s3StoreProfiles}. Ramen always addresses S3 path-style (its
   * S3 session forces it), so path-style has no field here; the lab's S3Proxy needs it too.
   */
  private static Map<String, Object> ramenConfig(String controllerType, List<S3Profile> stores) {
    List<Map<String, Object>> profiles = new ArrayList<>();
    for (S3Profile store : stores) {
      Map<String, Object> profile = new LinkedHashMap<>();
      profile.put("s3ProfileName", store.name());
      profile.put("s3Bucket", store.bucket());
      profile.put("s3CompatibleEndpoint", store.endpoint());
      profile.put("s3Region", store.region());
      profile.put("s3SecretRef", Map.of("name", store.name(), "namespace", NAMESPACE));
      profiles.add(profile);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", "ramendr.openshift.io/v1alpha1");
    config.put("kind", "RamenConfig");
    config.put("ramenControllerType", controllerType);
    config.put("s3StoreProfiles", profiles);
    return config;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
