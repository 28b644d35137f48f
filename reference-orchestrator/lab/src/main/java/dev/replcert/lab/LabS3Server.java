package dev.replcert.lab;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.config.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One site's S3 ({@code east} or {@code west}): S3Proxy in-JVM on plain http at 127.0.0.1, a
 * filesystem store under the site's directory, one bucket {@code replcert-<site>}, and keys made
 * for this run. Path-style addressing, region {@value S3Profile#DEFAULT_REGION}.
 *
 * <p>Stopping closes the port; the objects stay on disk, and a start serves them again on the same
 * port with the same keys. The keys are only ever held as {@link SecretValue}s.
 */
final class LabS3Server implements AutoCloseable {

  /** How long the S3 client waits to connect and for an answer. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String site;
  private final Path store;
  private final String bucket;
  private final SecretValue accessKeyId;
  private final SecretValue secretAccessKey;
  private final int port;
  private final S3Client client;
  private Running running;
  // while down, the port is held so that no other lab in the JVM takes it
  private java.util.Optional<PortHold> held = java.util.Optional.empty();

  /** A started proxy and the store it serves. */
  private record Running(S3Proxy proxy, BlobStore store) {}

  private LabS3Server(String site, Path store) {
    this.site = site;
    this.store = store;
    this.bucket = "replcert-" + site;
    this.accessKeyId = SecretValue.inline("lab" + site + randomHex(8));
    this.secretAccessKey = SecretValue.inline(randomHex(20));
    this.running = run(0);
    try {
      this.port = running.proxy().getPort();
      if (!running.store().containerExists(bucket)) {
        running.store().createContainer(bucket);
      }
      this.client = newClient();
    } catch (RuntimeException e) {
      halt(running);
      throw e;
    }
  }

  /** Starts the site's S3 on a free port, its store under {@code store} (created if missing). */
  static LabS3Server start(String site, Path store) {
    return new LabS3Server(site, store);
  }

  String site() {
    return site;
  }

  int port() {
    return port;
  }

  String bucket() {
    return bucket;
  }

  /**
   * Endpoint, region, bucket and this run's keys, as Ramen's s3StoreProfiles want them; named
   * {@code s3-<site>}, the profile name the lab's Ramen configuration gives this store.
   */
  S3Profile profile() {
    return new S3Profile(
        "s3-" + site,
        endpoint().toString(),
        S3Profile.DEFAULT_REGION,
        bucket,
        true,
        accessKeyId,
        secretAccessKey,
        null);
  }

  /** The lab's client of this S3; no retries, so a downed site fails at once. */
  S3Client client() {
    return client;
  }

  synchronized boolean isDown() {
    return running == null;
  }

  /** Stops answering (the port is held, see {@link PortHold}); the objects stay in the store on disk. */
  synchronized void stop() {
    if (running != null) {
      Running stopping = running;
      running = null;
      try {
        halt(stopping);
      } finally {
        held = PortHold.tryOn(port, this);
      }
    }
  }

  /** Serves the store again on the same port with the same keys. */
  synchronized void start() {
    if (running == null) {
      release();
      running = run(port);
    }
  }

  private void release() {
    held.ifPresent(PortHold::close);
    held = java.util.Optional.empty();
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private Running run(int onPort) {
    try {
      Files.createDirectories(store);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the store of lab S3 " + site + ": " + store, e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", store.toString());
    BlobStore blobs = BlobStores.create("filesystem-nio2", properties);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:" + onPort))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, accessKeyId.reveal(), secretAccessKey.reveal())
            .stopTimeout(0)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      blobs.close();
      throw new IllegalStateException(
          "lab S3 of site " + site + " cannot listen on 127.0.0.1:" + onPort + ": " + e, e);
    }
    return new Running(proxy, blobs);
  }

  private void halt(Running r) {
    try {
      r.proxy().stop();
    } catch (Exception e) {
      throw new IllegalStateException("lab S3 of site " + site + " did not stop: " + e, e);
    } finally {
      r.store().close();
    }
  }

  private S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.of(S3Profile.DEFAULT_REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId.reveal(), secretAccessKey.reveal())))
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(REQUEST_TIMEOUT))
        // one retry: the JDK keeps idle connections per host:port for the whole JVM, and a later
        // lab may get the port of an earlier one; a PUT on such a dead connection fails with "Error
        // writing request body to server" (seen once in a verify). A downed site still fails fast:
        // a refused connection is refused again at once.
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(2)))
        .build();
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public synchronized void close() {
    try {
      client.close();
    } finally {
      try {
        stop();
      } finally {
        release(); // the lab is gone: nothing comes back on this port
      }
    }
  }

  @Override
  public String toString() {
    // never the keys
    return "lab S3 of site " + site + " at " + endpoint() + " (bucket " + bucket + ")";
  }
}
