package dev.replcert.refdriver.testing;

import dev.replcert.refdriver.client.DriverChannels;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A channel to a driver socket for try-with-resources. */
public record OpenChannel(ManagedChannel channel) implements AutoCloseable {

  public static OpenChannel to(Path socket) {
    return new OpenChannel(DriverChannels.forSocket(socket));
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
