package dev.replcert.harness.clusters;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.config.SecretRef;
import dev.replcert.harness.config.Sites;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 stores of cert.yaml's {@code s3Profiles}, as the lab offers its own: per site (the first
 * profile is east's, the second west's, the order in which cert.yaml lists one per site) and by
 * profile name. A client is made on first use, so a run that never touches S3 never needs its
 * keys; keys behind a {@code secretRef} are read from the Secret on the cluster given.
 */
final class S3Stores implements AutoCloseable {

  /** Ramen's key names in an S3 profile's Secret. */
  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";

  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  private final List<S3Profile> profiles;
  private final String secretCluster;
  private final KubernetesClient secrets;
  private final Duration timeout;
  private final Map<String, S3Client> clients = new LinkedHashMap<>();

  /**
   * @param secretCluster the name of the cluster {@code secrets} talks to, for messages
   * @param secrets where a profile's {@code secretRef} is read (the hub, else east)
   * @param timeout how long one S3 request may take
   */
  S3Stores(List<S3Profile> profiles, String secretCluster, KubernetesClient secrets, Duration timeout) {
    this.profiles = List.copyOf(profiles);
    this.secretCluster = secretCluster;
    this.secrets = secrets;
    this.timeout = timeout;
  }

  /** The profile of a site ({@code east}: the first, {@code west}: the second) or of that name. */
  Optional<S3Profile> profile(String siteOrName) {
    int index = Sites.IDS.indexOf(siteOrName);
    if (index >= 0) {
      return index < profiles.size() ? Optional.of(profiles.get(index)) : Optional.empty();
    }
    return profiles.stream().filter(p -> p.name().equals(siteOrName)).findFirst();
  }

  synchronized Optional<S3Client> client(String siteOrName) {
    Optional<S3Profile> profile = profile(siteOrName);
    if (profile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(clients.computeIfAbsent(profile.get().name(), n -> open(profile.get())));
  }

  private S3Client open(S3Profile profile) {
    AwsBasicCredentials keys =
        profile.secretRef() == null
            ? AwsBasicCredentials.create(profile.accessKeyId().reveal(), profile.secretAccessKey().reveal())
            : fromSecret(profile);
    return S3Client.builder()
        .endpointOverride(URI.create(profile.endpoint()))
        .region(Region.of(profile.region()))
        .forcePathStyle(profile.pathStyle())
        .credentialsProvider(StaticCredentialsProvider.create(keys))
        .httpClientBuilder(
            UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
        .build();
  }

  private AwsBasicCredentials fromSecret(S3Profile profile) {
    SecretRef ref = profile.secretRef();
    String where =
        "S3 profile " + profile.name() + ": Secret " + ref.namespace() + "/" + ref.name() + " on cluster " + secretCluster;
    if (secrets == null) {
      throw new IllegalStateException(where + " cannot be read: no cluster to read it from");
    }
    Secret secret = secrets.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
    if (secret == null) {
      throw new IllegalStateException(where + " does not exist");
    }
    List<String> missing = new ArrayList<>();
    String id = key(secret, ACCESS_KEY_ID, missing);
    String key = key(secret, SECRET_ACCESS_KEY, missing);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(where + " has no " + String.join(" or ", missing));
    }
    return AwsBasicCredentials.create(id, key);
  }

  private static String key(Secret secret, String name, List<String> missing) {
    String encoded = secret.getData() == null ? null : secret.getData().get(name);
    if (encoded != null) {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    String plain = secret.getStringData() == null ? null : secret.getStringData().get(name);
    if (plain == null) {
      missing.add(name);
    }
    return plain;
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(S3Client::close);
    clients.clear();
  }
}
