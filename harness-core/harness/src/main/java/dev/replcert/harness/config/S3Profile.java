package dev.replcert.harness.config;

/**
 * An S3 store the orchestrator writes cluster metadata to (Ramen's s3StoreProfiles). Credentials
 * are either inline keys or a Secret reference, never both.
 */
public record S3Profile(
    String name,
    String endpoint,
    String region,
    String bucket,
    Boolean pathStyle,
    SecretValue accessKeyId,
    SecretValue secretAccessKey,
    SecretRef secretRef) {

  public static final String DEFAULT_REGION = "us-east-1";

  public S3Profile {
    region = region == null ? DEFAULT_REGION : region;
    // Path-style addressing is what MinIO, Ceph RGW and NooBaa need; AWS accepts it too.
    pathStyle = pathStyle == null ? Boolean.TRUE : pathStyle;
  }
}
