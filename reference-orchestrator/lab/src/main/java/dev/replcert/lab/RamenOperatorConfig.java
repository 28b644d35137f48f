package dev.replcert.lab;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.orchestrator.s3.S3Profiles;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Ramen's operators read at start, written for the bundled orchestrator on one cluster: the
 * namespace {@code ramen-system}, a Secret with the keys of each S3 profile that has inline keys,
 * and the operator's ConfigMap ({@code ramen_manager_config.yaml} with {@code s3StoreProfiles}), as
 * {@link S3Profiles#fromRamenConfigMap} reads it. Everything created is tracked and deleted by the
 * tracker; nothing that was already there is touched.
 */
final class RamenOperatorConfig {

  /** Ramen's hub operator ConfigMap; the DR-cluster operator's is {@link S3Profiles#RAMEN_CONFIG_MAP}. */
  static final String HUB_CONFIG_MAP = "ramen-hub-operator-config";

  static final String NAMESPACE = S3Profiles.RAMEN_NAMESPACE;

  private RamenOperatorConfig() {}

  /** The Secret holding a profile's inline keys. */
  static String secretName(S3Profile profile) {
    return "replcert-s3-" + profile.name();
  }

  /**
   * Writes the namespace (if missing), the key Secrets and the ConfigMap {@code configMap} on the
   * cluster; refuses, naming the cluster, when the ConfigMap is already there (a Ramen installed on
   * it, or a run that did not clean up).
   */
  static void write(
      String cluster, KubernetesClient client, String configMap, List<S3Profile> profiles, ResourceTracker tracker) {
    if (client.configMaps().inNamespace(NAMESPACE).withName(configMap).get() != null) {
      throw new IllegalStateException(
          "ConfigMap "
              + NAMESPACE
              + "/"
              + configMap
              + " already exists on cluster "
              + cluster
              + ": is Ramen installed there (then set orchestrator: ramen), or did an earlier run not"
              + " clean up (then delete it)?");
    }
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      tracker.track(
          "namespace " + NAMESPACE + " on " + cluster,
          client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create(),
          () -> client.namespaces().withName(NAMESPACE).delete());
    }
    for (S3Profile profile : profiles) {
      if (profile.secretRef() == null) {
        writeKeys(cluster, client, profile, tracker);
      }
    }
    tracker.track(
        "ConfigMap " + NAMESPACE + "/" + configMap + " on " + cluster,
        client
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
                        ramenConfig(
                            configMap.equals(HUB_CONFIG_MAP) ? "dr-hub" : "dr-cluster", profiles))
                    .build())
            .create(),
        () -> client.configMaps().inNamespace(NAMESPACE).withName(configMap).delete());
  }

  private static void writeKeys(String cluster, KubernetesClient client, S3Profile profile, ResourceTracker tracker) {
    String name = secretName(profile);
    tracker.track(
        "Secret " + NAMESPACE + "/" + name + " on " + cluster,
        client
            .secrets()
            .inNamespace(NAMESPACE)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .addToData("AWS_ACCESS_KEY_ID", base64(profile.accessKeyId().reveal()))
                    .addToData("AWS_SECRET_ACCESS_KEY", base64(profile.secretAccessKey().reveal()))
                    .build())
            .create(),
        () -> client.secrets().inNamespace(NAMESPACE).withName(name).delete());
  }

  /**
   * Ramen's RamenConfig with what the controllers read: the S3 store profiles (Ramen always
   * addresses S3 path-style, so path-style has no field), and which operator it configures.
   */
  static String ramenConfig(String controllerType, List<S3Profile> profiles) {
    List<Map<String, Object>> stores = new ArrayList<>();
    for (S3Profile profile : profiles) {
      Map<String, Object> store = new LinkedHashMap<>();
      store.put("s3ProfileName", profile.name());
      store.put("s3Bucket", profile.bucket());
      store.put("s3CompatibleEndpoint", profile.endpoint());
      store.put("s3Region", profile.region());
      store.put(
          "s3SecretRef",
          profile.secretRef() == null
              ? Map.of("name", secretName(profile), "namespace", NAMESPACE)
              : Map.of("name", profile.secretRef().name(), "namespace", profile.secretRef().namespace()));
      stores.add(store);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiVersion", "ramendr.openshift.io/v1alpha1");
    config.put("kind", "RamenConfig");
    config.put("ramenControllerType", controllerType);
    config.put("s3StoreProfiles", stores);
    return new KubernetesSerialization().asYaml(config);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
