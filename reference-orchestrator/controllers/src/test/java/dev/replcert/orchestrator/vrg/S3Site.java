package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.S3StoreProfile;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * One site's S3 for the tests: S3Proxy in-JVM on 127.0.0.1 over a transient store that outlives the
 * proxy, so {@link #stop()} is an outage (connections refused) and {@link #start()} brings the same
 * objects back on the same port.
 */
final class S3Site implements AutoCloseable {

  static final String REGION = "us-east-1";
  static final String SECRET_NAMESPACE = "ramen-system";

  final String name;
  final String bucket;
  final String accessKey;
  final String secretKey;
  private final BlobStore store;
  private final int port;
  private S3Proxy proxy;

  S3Site(String name) {
    this.name = name;
    this.bucket = "bucket-" + name;
    this.accessKey = "key-" + name;
    this.secretKey = "secret-" + name + "-" + System.nanoTime();
    this.store = BlobStores.create("transient", new Properties());
    store.createContainer(bucket);
    this.proxy = proxy(0);
    this.port = proxy.getPort();
  }

  private S3Proxy proxy(int onPort) {
    S3Proxy p =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + onPort))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .stopTimeout(0)
            .build();
    try {
      p.start();
    } catch (Exception e) {
      throw new IllegalStateException("S3 " + name + " did not start on port " + onPort, e);
    }
    return p;
  }

  /**
   * The profile as Ramen's config would list it; its Secret is {@code s3-<name>} in ramen-system.
   */
  S3StoreProfile profile() {
    return new S3StoreProfile(
        "s3-" + name, bucket, "http://127.0.0.1:" + port, REGION, SECRET_NAMESPACE, "s3-" + name);
  }

  List<String> keys() {
    return store.list(bucket).contents().stream().map(o -> o.key()).sorted().toList();
  }

  <T> T object(String key, Class<T> type) {
    try (var in = store.getBlob(bucket, key)) {
      return ObjectStore.decode(in.readAllBytes(), type);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An outage: the port refuses connections; the objects stay. */
  synchronized void stop() {
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (Exception e) {
        throw new IllegalStateException("S3 " + name + " did not stop", e);
      }
      proxy = null;
    }
  }

  synchronized void start() {
    if (proxy == null) {
      proxy = proxy(port);
    }
  }

  @Override
  public void close() {
    stop();
    store.close();
  }
}
