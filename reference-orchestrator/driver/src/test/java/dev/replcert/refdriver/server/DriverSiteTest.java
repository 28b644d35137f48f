package dev.replcert.refdriver.server;

import static dev.replcert.refdriver.testing.Requests.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.api.csi.v1.GetPluginInfoRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.IdentityGrpc;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.testing.FakeSite;
import dev.replcert.refdriver.testing.OpenChannel;
import dev.replcert.refdriver.testing.TestSockets;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket handling of a served site: layout, in-use and stale sockets, clean close. */
class DriverSiteTest {

  private Path directory;

  @BeforeEach
  void directory() {
    directory = TestSockets.newDirectory();
  }

  @AfterEach
  void cleanUp() {
    TestSockets.deleteRecursively(directory);
  }

  private DriverOptions options(Path socket, Path addonsSocket) {
    return new DriverOptions(
        "east",
        directory.resolve("root"),
        socket,
        addonsSocket,
        new InetSocketAddress("127.0.0.1", 0),
        null,
        null,
        List.of(new DriverOptions.NodeSpec("n1", "192.0.2.11")),
        null,
        null);
  }

  private DriverSite serve(DriverOptions options) {
    return DriverSite.serve(options, new FakeSite(options.site()), options.listen());
  }

  @Test
  void nodeSocketsLiveBesideTheMainSocket() {
    try (DriverSite site = serve(options(directory.resolve("csi.sock"), null))) {
      assertThat(site.nodeSocket("n1")).isEqualTo(directory.resolve("node-n1.sock").toAbsolutePath());
      assertThat(DriverSite.nodeSocketPath(site.socket(), "n1")).isEqualTo(site.nodeSocket("n1"));
      assertThat(site.nodeSocket("n1")).exists();
      assertThat(site.addonsSocket()).isEqualTo(site.socket());
      assertThatThrownBy(() -> site.nodeSocket("n2")).hasMessageContaining("has no node n2");
    }
  }

  @Test
  void closeStopsServingClosesTheEngineAndRemovesTheSockets() {
    FakeSite fake = new FakeSite("east");
    DriverOptions options = options(directory.resolve("csi.sock"), null);
    DriverSite site = DriverSite.serve(options, fake, options.listen());

    site.close();
    site.close();

    assertThat(fake.closed()).isTrue();
    assertThat(directory.resolve("csi.sock")).doesNotExist();
    assertThat(directory.resolve("node-n1.sock")).doesNotExist();
  }

  @Test
  void aSocketServedByALiveProcessIsRefused() {
    try (DriverSite first = serve(options(directory.resolve("csi.sock"), null))) {
      assertThatThrownBy(() -> serve(options(directory.resolve("csi.sock"), null)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket " + directory.resolve("csi.sock") + " is in use by another process");
      assertThat(first.socket()).exists();
    }
  }

  @Test
  void aStaleSocketFileIsReplaced() throws Exception {
    Path socket = directory.resolve("csi.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();

    try (DriverSite site = serve(options(socket, null));
        OpenChannel channel = OpenChannel.to(site.socket())) {
      assertThat(dev.replcert.api.csi.v1.IdentityGrpc.newBlockingStub(channel.channel()).getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getName())
          .isEqualTo(DriverOptions.DRIVER_NAME);
    }
  }

  @Test
  void aPathThatIsNotASocketIsLeftAlone() throws Exception {
    Path file = Files.writeString(directory.resolve("csi.sock"), "precious");
    assertThatThrownBy(() -> serve(options(file, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exists and is not a socket");
    assertThat(file).hasContent("precious");
  }

  @Test
  void aPathTooLongForAUnixSocketIsRefusedClearly() {
    Path deep = directory.resolve("d".repeat(120) + ".sock");
    assertThatThrownBy(() -> serve(options(deep, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unix socket limit");
  }

  @Test
  void csiAddonsMoveToTheirOwnSocketWhenConfigured() throws Exception {
    Path csi = directory.resolve("csi.sock");
    Path addons = directory.resolve("addons.sock");
    try (DriverSite site = serve(options(csi, addons));
        OpenChannel csiChannel = OpenChannel.to(csi);
        OpenChannel addonsChannel = OpenChannel.to(addons)) {
      assertThat(site.addonsSocket()).isEqualTo(addons);
      assertThat(IdentityGrpc.newBlockingStub(addonsChannel.channel()).getIdentity(GetIdentityRequest.getDefaultInstance()).getName())
          .isEqualTo(DriverOptions.DRIVER_NAME);
      assertCode(
          Status.Code.UNIMPLEMENTED, () -> IdentityGrpc.newBlockingStub(csiChannel.channel()).getIdentity(GetIdentityRequest.getDefaultInstance()));
    }
    assertThat(addons).doesNotExist();
  }
}
