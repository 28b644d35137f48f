package dev.replcert.lab.substrate.csiaddons;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A class's parameters as the driver gets them: keys with the controller's prefix are reserved (the
 * secret reference) and stripped; any other prefixed key is an error; the rest pass through.
 *
 * @param driverParameters what the RPCs carry
 * @param secretName the reserved secret-name key's value, or null
 * @param secretNamespace the reserved secret-namespace key's value, or null
 */
record ClassParameters(
    Map<String, String> driverParameters, String secretName, String secretNamespace) {

  /** VolumeReplicationClass / VolumeGroupReplicationClass. */
  static ClassParameters replication(Map<String, String> parameters, boolean group) {
    String prefix = dev.replcert.api.k8s.CsiAddons.PARAMETER_PREFIX;
    return parse(
        parameters,
        prefix,
        Set.of(
            "replication-secret-name",
            "replication-secret-namespace",
            "group-replication-secret-name",
            "group-replication-secret-namespace"),
        group ? "group-replication-secret-name" : "replication-secret-name",
        group ? "group-replication-secret-namespace" : "replication-secret-namespace");
  }

  /** NetworkFenceClass. */
  static ClassParameters fence(Map<String, String> parameters) {
    return parse(
        parameters,
        "csiaddons.openshift.io/",
        Set.of("networkfence-secret-name", "networkfence-secret-namespace"),
        "networkfence-secret-name",
        "networkfence-secret-namespace");
  }

  private static ClassParameters parse(
      Map<String, String> parameters,
      String prefix,
      Set<String> reserved,
      String nameKey,
      String namespaceKey) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> prefixed = new LinkedHashMap<>();
    if (parameters != null) {
      for (Map.Entry<String, String> e : parameters.entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          String key = e.getKey().substring(prefix.length());
          if (!reserved.contains(key)) {
            throw new IllegalArgumentException("invalid parameter key \"" + e.getKey() + "\"");
          }
          prefixed.put(key, e.getValue());
        } else {
          out.put(e.getKey(), e.getValue());
        }
      }
    }
    return new ClassParameters(out, prefixed.get(nameKey), prefixed.get(namespaceKey));
  }

  /** The referenced Secret's data, or no secrets when none is referenced. */
  Map<String, String> secrets(KubernetesClient client) {
    if (secretName == null || secretName.isBlank()) {
      return Map.of();
    }
    Secret secret = client.secrets().inNamespace(secretNamespace).withName(secretName).get();
    if (secret == null) {
      throw new IllegalStateException(
          "secret " + secretNamespace + "/" + secretName + " not found");
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }
}
