package dev.replcert.mockapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchCloseDispatcherTest {

  /** Stands in for fabric8's WatchEventsListener: same field, ends slowly on a latch. */
  static final class SlowEndingWatch extends WebSocketListener {
    final Set<WebSocketListener> watchEventListenerList = new CopyOnWriteArraySet<>();
    final CountDownLatch mayEnd = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);

    SlowEndingWatch() {
      watchEventListenerList.add(this);
    }

    @Override
    public void onClosed(io.fabric8.mockwebserver.http.WebSocket webSocket, int code, String reason) {
      try {
        mayEnd.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      watchEventListenerList.remove(this);
      ended.countDown();
    }
  }

  @Test
  void anEndedWatchLeavesTheEventSetBeforeItsSlowEndRuns() throws InterruptedException {
    SlowEndingWatch watch = new SlowEndingWatch();
    Dispatcher upgrading = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().withWebSocketUpgrade(watch);
      }
    };
    WebSocketListener wrapped =
        new WatchCloseDispatcher(upgrading, "test").dispatch(null).getWebSocketListener();

    wrapped.onClosed(null, 1000, "client closed the watch");

    assertThat(watch.watchEventListenerList)
        .as("watches events are sent to, while the watch's own end is still running")
        .doesNotContain(watch);
    watch.mayEnd.countDown();
    assertThat(watch.ended.await(10, TimeUnit.SECONDS)).as("the watch's own end ran").isTrue();
  }

  @Test
  void fabric8sWatchListenerStillKeepsTheSetInTheFieldTheDispatcherEmpties() throws ReflectiveOperationException {
    // should fabric8 rename it, the window comes back silently: this names the place to look
    Class<?> listener = Class.forName("io.fabric8.kubernetes.client.server.mock.WatchEventsListener");
    assertThat(Set.class.isAssignableFrom(listener.getDeclaredField("watchEventListenerList").getType())).isTrue();
  }
}
