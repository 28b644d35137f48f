package dev.replcert.harness.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.PromoteVolumeResponse;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.record.Redactor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fake replication controller on a real unix socket: the call log records each call with its
 * status and latency, and never the secrets the request carried.
 */
class CallLogTest {

  private Path dir;
  private Server server;
  private EpollEventLoopGroup group;
  private ManagedChannel channel;
  private final CallLog log = new CallLog();

  @BeforeEach
  void start() throws IOException {
    dir = Files.createTempDirectory("cl");
    Path socket = dir.resolve("addons.sock");
    group = new EpollEventLoopGroup(1);
    server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .addService(new FakeReplication())
            .build()
            .start();
    channel =
        Channels.open(
            "unix://" + socket,
            new CallLogInterceptor(log, "east/addons", new Redactor(List.of("hunter2-config"))));
  }

  @AfterEach
  void stop() throws Exception {
    Channels.close(channel);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    Files.deleteIfExists(dir.resolve("addons.sock"));
    Files.deleteIfExists(dir);
  }

  @Test
  void recordsMethodStatusAndLatencyWithSecretsBlanked() {
    long mark = log.mark();
    var stub = ControllerGrpc.newBlockingStub(channel);

    stub.promoteVolume(request("vol-1", "s3cr3t-value"));
    assertThatThrownBy(() -> stub.promoteVolume(request("missing", "s3cr3t-value")))
        .isInstanceOf(StatusRuntimeException.class);

    List<CallRecord> calls = log.since(mark);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).method()).isEqualTo("replication.Controller/PromoteVolume");
    assertThat(calls.get(0).status()).isEqualTo("OK");
    assertThat(calls.get(1).status()).isEqualTo("NOT_FOUND");
    assertThat(calls.get(1).description()).isEqualTo("volume missing not found, token <redacted>");
    assertThat(log.render(mark))
        .contains("east/addons", "vol-1", "csi.storage.k8s.io/token", "force: true")
        .doesNotContain("s3cr3t-value")
        .doesNotContain("hunter2-config");
    assertThat(calls.get(0).latency()).isPositive();
  }

  @Test
  void aMarkSelectsOnlyLaterCalls() {
    var stub = ControllerGrpc.newBlockingStub(channel);
    stub.promoteVolume(request("vol-1", "x"));
    long mark = log.mark();
    stub.promoteVolume(request("vol-2", "x"));

    assertThat(log.since(mark)).singleElement().satisfies(c -> assertThat(c.request()).contains("vol-2"));
  }

  private static PromoteVolumeRequest request(String volume, String secret) {
    return PromoteVolumeRequest.newBuilder()
        .setForce(true)
        .putSecrets("csi.storage.k8s.io/token", secret)
        .putParameters("schedulingInterval", "1m")
        .setReplicationSource(
            ReplicationSource.newBuilder()
                .setVolume(ReplicationSource.VolumeSource.newBuilder().setVolumeId(volume)))
        .build();
  }

  private static final class FakeReplication extends ControllerGrpc.ControllerImplBase {
    @Override
    public void promoteVolume(PromoteVolumeRequest request, StreamObserver<PromoteVolumeResponse> out) {
      String volume = request.getReplicationSource().getVolume().getVolumeId();
      if (volume.equals("missing")) {
        // a careless driver echoing configuration into its error message
        out.onError(
            Status.NOT_FOUND
                .withDescription("volume missing not found, token hunter2-config")
                .asRuntimeException());
        return;
      }
      out.onNext(PromoteVolumeResponse.getDefaultInstance());
      out.onCompleted();
    }
  }
}
