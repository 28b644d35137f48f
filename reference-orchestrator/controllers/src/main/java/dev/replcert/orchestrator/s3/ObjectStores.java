package dev.replcert.orchestrator.s3;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens the {@link ObjectStore} of a named S3 profile: the profile from {@link S3Profiles}, the
 * keys from the Secret it names. Clients are kept per profile and rebuilt when the profile or its
 * Secret changes. Timeouts are short and the SDK does not retry: a reconcile must not hang on a
 * downed S3, the controller retries instead (and so never blocks the other profiles).
 */
public final class ObjectStores implements AutoCloseable {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  private final KubernetesClient cluster;
  private final S3Profiles profiles;
  private final String defaultSecretNamespace;
  private final Map<String, Cached> clients = new ConcurrentHashMap<>();

  /** A client and what it was made from; the secret's resourceVersion stands for its keys. */
  private record Cached(S3StoreProfile profile, String secretVersion, S3Client client) {}

  /**
   * @param defaultSecretNamespace where a profile's Secret is when its ref has no namespace (Ramen:
   *     its own namespace)
   */
  public ObjectStores(
      KubernetesClient cluster, S3Profiles profiles, String defaultSecretNamespace) {
    this.cluster = cluster;
    this.profiles = profiles;
    this.defaultSecretNamespace = defaultSecretNamespace;
  }

  /** The store of {@code profileName}; fails with a message fit for a condition (no keys in it). */
  public ObjectStore open(String profileName) {
    S3StoreProfile profile =
        profiles
            .find(profileName)
            .orElseThrow(
                () -> new IllegalStateException("S3 profile " + profileName + " not found"));
    String namespace =
        profile.secretNamespace() == null ? defaultSecretNamespace : profile.secretNamespace();
    Secret secret = cluster.secrets().inNamespace(namespace).withName(profile.secretName()).get();
    if (secret == null) {
      throw new IllegalStateException(
          "secret "
              + namespace
              + "/"
              + profile.secretName()
              + " of S3 profile "
              + profileName
              + " not found");
    }
    String version = secret.getMetadata().getResourceVersion();
    Cached cached =
        clients.compute(
            profileName,
            (name, old) -> {
              if (old != null
                  && old.profile().equals(profile)
                  && old.secretVersion().equals(version)) {
                return old;
              }
              if (old != null) {
                old.client().close();
              }
              return new Cached(profile, version, client(profile, secret));
            });
    return new ObjectStore(profileName, profile.bucket(), cached.client());
  }

  private static S3Client client(S3StoreProfile profile, Secret secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(profile.endpoint()))
        .region(Region.of(profile.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    key(secret, ACCESS_KEY_ID, profile), key(secret, SECRET_ACCESS_KEY, profile))))
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(REQUEST_TIMEOUT))
        // one retry, no more: the JDK keeps idle connections per host:port for the whole JVM, and a
        // PUT on one the server has dropped fails with "Error writing request body to server"
        // (seen in CI). A site that is down still fails fast (refused again at once), and a failed
        // upload is retried by the next reconcile anyway, with UploadError shown meanwhile.
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(2)))
        .build();
  }

  private static String key(Secret secret, String key, S3StoreProfile profile) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return new String(
          Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return secret.getStringData().get(key);
    }
    throw new IllegalStateException("secret of S3 profile " + profile.name() + " has no " + key);
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.client().close());
    clients.clear();
  }
}
