package dev.replcert.orchestrator.s3;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the controllers look up an S3 profile by name. Ramen reads the list from its operator
 * ConfigMap on every use (so an edited profile applies without a restart); {@link
 * #fromRamenConfigMap} does the same, {@link #of} serves a fixed list (the lab, tests).
 */
@FunctionalInterface
public interface S3Profiles {

  /** Ramen's DR-cluster operator ConfigMap and the key holding its RamenConfig YAML. */
  String RAMEN_CONFIG_MAP = "ramen-dr-cluster-operator-config";

  String RAMEN_NAMESPACE = "ramen-system";
  String RAMEN_CONFIG_KEY = "ramen_manager_config.yaml";

  Optional<S3StoreProfile> find(String name);

  static S3Profiles of(List<S3StoreProfile> profiles) {
    List<S3StoreProfile> copy = List.copyOf(profiles);
    return name -> copy.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Ramen's {@code s3StoreProfiles} from {@code namespace/configMap}, read at each look-up. */
  static S3Profiles fromRamenConfigMap(
      KubernetesClient client, String namespace, String configMap) {
    KubernetesSerialization yaml = new KubernetesSerialization();
    return name -> {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMap).get();
      String text = cm == null || cm.getData() == null ? null : cm.getData().get(RAMEN_CONFIG_KEY);
      if (text == null) {
        return Optional.empty();
      }
      Map<?, ?> config = yaml.unmarshal(text, Map.class);
      Object list = config == null ? null : config.get("s3StoreProfiles");
      if (!(list instanceof List<?> entries)) {
        return Optional.empty();
      }
      return entries.stream()
          .filter(Map.class::isInstance)
          .map(e -> (Map<?, ?>) e)
          .filter(e -> name.equals(e.get("s3ProfileName")))
          .findFirst()
          .map(S3Profiles::profile);
    };
  }

  private static S3StoreProfile profile(Map<?, ?> entry) {
    Map<?, ?> secret = entry.get("s3SecretRef") instanceof Map<?, ?> m ? m : Map.of();
    return new S3StoreProfile(
        (String) entry.get("s3ProfileName"),
        (String) entry.get("s3Bucket"),
        (String) entry.get("s3CompatibleEndpoint"),
        (String) entry.get("s3Region"),
        (String) secret.get("namespace"),
        (String) secret.get("name"));
  }
}
