package dev.replcert.orchestrator.s3;

import java.util.Objects;

/**
 * One entry of Ramen's {@code s3StoreProfiles} (RamenConfig): where a VRG's metadata goes. The keys
 * are not here: they stay in the Secret {@code secretNamespace/secretName} (keys {@code
 * AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) and are read when a client is made.
 *
 * @param name {@code s3ProfileName}, what {@code VRG.spec.s3Profiles} names
 * @param bucket {@code s3Bucket}
 * @param endpoint {@code s3CompatibleEndpoint}, e.g. {@code https://s3.example:443}
 * @param region {@code s3Region} (mandatory in Ramen)
 * @param secretNamespace namespace of {@code s3SecretRef}
 * @param secretName name of {@code s3SecretRef}
 */
public record S3StoreProfile(
    String name,
    String bucket,
    String endpoint,
    String region,
    String secretNamespace,
    String secretName) {

  public S3StoreProfile {
    Objects.requireNonNull(name, "s3ProfileName");
    Objects.requireNonNull(bucket, "s3Bucket of " + name);
    Objects.requireNonNull(endpoint, "s3CompatibleEndpoint of " + name);
    Objects.requireNonNull(region, "s3Region of " + name);
    Objects.requireNonNull(secretName, "s3SecretRef.name of " + name);
  }
}
