package dev.replcert.refdriver.testing;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.server.DriverSite;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The real gRPC servers and sockets in front of a {@link FakeSite}: the façade under test alone. */
public final class FakeDriver implements AutoCloseable {

  public static final List<DriverOptions.NodeSpec> NODES =
      List.of(new DriverOptions.NodeSpec("east-node-1", "192.0.2.11"), new DriverOptions.NodeSpec("east-node-2", "192.0.2.12"));

  private final Path directory;
  private final FakeSite fake;
  private final DriverSite site;
  private final SiteClients clients;

  private FakeDriver(Set<Defect> defects, Map<String, String> secrets) {
    this.directory = TestSockets.newDirectory();
    DriverOptions options =
        new DriverOptions(
            "east",
            directory.resolve("root"),
            directory.resolve("csi.sock"),
            null,
            new InetSocketAddress("127.0.0.1", 0),
            null,
            null,
            NODES,
            secrets,
            defects);
    this.fake = new FakeSite("east");
    this.site = DriverSite.serve(options, fake, options.listen());
    this.clients = new SiteClients(site);
  }

  public static FakeDriver start() {
    return new FakeDriver(Set.of(), Map.of());
  }

  public static FakeDriver withDefects(Defect... defects) {
    return new FakeDriver(Set.of(defects), Map.of());
  }

  public static FakeDriver withSecrets(Map<String, String> secrets) {
    return new FakeDriver(Set.of(), secrets);
  }

  public FakeSite fake() {
    return fake;
  }

  public DriverSite site() {
    return site;
  }

  public SiteClients clients() {
    return clients;
  }

  /** A fresh directory for publish targets. */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      clients.close();
    } finally {
      site.close();
      TestSockets.deleteRecursively(directory);
    }
  }
}
