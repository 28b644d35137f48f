package dev.replcert.mockapi;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.util.Set;

/**
 * Hands every request to a mock API server's dispatcher and runs the end of a watch off Vert.x's event loop.
 *
 * <p>fabric8's mock (7.8) ends a watch, when the client closes it or the connection fails, on the
 * event loop, waiting for the watch's sender thread; an event the sender is writing at that moment
 * needs the same event loop to complete. The two wait for each other until the sender's 30 s write
 * timeout, and the whole API server stalls meanwhile (a stop of the server then fails). The window
 * is small, but a controller that stops closes many watches at once while others write, and the
 * lab stops and restarts controllers with every site disaster and orchestrator restart. Here the
 * end runs on a short-lived daemon thread, so the event loop completes the write and moves on.
 * The lab's API servers and the controllers' test fixtures use it: every mock server that runs
 * controllers.
 *
 * <p>The mock also keeps an ended watch among those it sends events to until the end has shut its
 * sender down and waited for it; an event for that watch meanwhile throws
 * RejectedExecutionException out of the write that caused it, so the client that wrote never gets
 * an answer (a 10 s timeout seen on a PVC POST right after an orchestrator restart) and the
 * watches after it in the set miss the event. Here the ended watch leaves the set first.
 */
public final class WatchCloseDispatcher extends DelegatingDispatcher {

  private final String cluster;

  /**
   * @param delegate answers every request
   * @param cluster names the threads that end watches
   */
  public WatchCloseDispatcher(Dispatcher delegate, String cluster) {
    super(delegate);
    this.cluster = cluster;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = delegate.dispatch(request);
    WebSocketListener watch = response.getWebSocketListener();
    return watch == null ? response : response.withWebSocketUpgrade(new EndOffLoop(watch, cluster));
  }

  /** The watch's listener, with {@code onClosed} and {@code onFailure} on their own thread. */
  private static final class EndOffLoop extends WebSocketListener {

    private final WebSocketListener watch;
    private final String cluster;

    EndOffLoop(WebSocketListener watch, String cluster) {
      this.watch = watch;
      this.cluster = cluster;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      watch.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      watch.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      watch.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      watch.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      stopEvents(watch);
      offLoop(() -> watch.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      stopEvents(watch);
      offLoop(() -> watch.onFailure(webSocket, failure, response));
    }

    /**
     * Takes the watch out of the set the mock sends events to (fabric8 7.8's
     * WatchEventsListener.watchEventListenerList; it removes it itself only after its sender
     * stopped). Another version without that field keeps the window described above.
     */
    private static void stopEvents(WebSocketListener watch) {
      try {
        Field listeners = watch.getClass().getDeclaredField("watchEventListenerList");
        listeners.setAccessible(true);
        if (listeners.get(watch) instanceof Set<?> set) {
          set.remove(watch);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not fabric8's listener, or another version: the mock removes it on its own, later
      }
    }

    private void offLoop(Runnable end) {
      Thread thread = new Thread(end, "lab-api-" + cluster + "-watch-end");
      thread.setDaemon(true);
      thread.start();
    }
  }
}
