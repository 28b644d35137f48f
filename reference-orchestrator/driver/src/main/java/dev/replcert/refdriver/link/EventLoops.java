package dev.replcert.refdriver.link;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/** Stops netty event loops at once (no quiet period: nothing is left to send) and waits for them. */
final class EventLoops {

  private EventLoops() {}

  static void shutdown(EventLoopGroup... groups) {
    for (EventLoopGroup group : groups) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    for (EventLoopGroup group : groups) {
      group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
