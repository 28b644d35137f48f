package dev.replcert.orchestrator.s3;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket of one S3 profile, holding objects as Ramen's {@code UploadObject} does: JSON,
 * gzip-compressed. Every call may throw the SDK's exceptions; callers turn them into conditions.
 */
public final class ObjectStore {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final String profile;
  private final String bucket;
  private final S3Client s3;

  ObjectStore(String profile, String bucket, S3Client s3) {
    this.profile = profile;
    this.bucket = bucket;
    this.s3 = s3;
  }

  public String profile() {
    return profile;
  }

  public void put(String key, Object value) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(encode(value)));
  }

  public <T> T get(String key, Class<T> type) {
    return decode(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), type);
  }

  /** The object under {@code key}, or null when there is none (other failures throw). */
  public <T> T find(String key, Class<T> type) {
    try {
      return get(key, type);
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  /** Every key under {@code prefix}, all pages. */
  public List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    s3
        .listObjectsV2Paginator(
            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
        .contents()
        .stream()
        .map(S3Object::key)
        .forEach(keys::add);
    return keys;
  }

  /** Deletes every key under {@code prefix} (Ramen does so when a primary VRG is deleted). */
  public void deleteAll(String prefix) {
    for (String key : keys(prefix)) {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
  }

  /** JSON, gzip'd: what Ramen writes and what the suites decode. */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(JSON.asJson(value).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static <T> T decode(byte[] gzipped, Class<T> type) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return JSON.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), type);
    } catch (IOException e) {
      throw new UncheckedIOException("an S3 object is not gzip'd JSON: " + e.getMessage(), e);
    }
  }
}
