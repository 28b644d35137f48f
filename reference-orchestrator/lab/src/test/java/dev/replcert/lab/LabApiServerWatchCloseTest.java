package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Watches closed while events for them are being sent do not stall the lab's API server (fabric8's
 * mock ends a watch on its event loop, waiting for a sender that needs that loop:
 * {@link WatchCloseDispatcher}).
 */
class LabApiServerWatchCloseTest {

  // without the fix the mock stalls within the first few (seen: at the third)
  private static final int WATCHES = 40;
  private static final Duration ANSWER = Duration.ofSeconds(5);

  @Test
  void closingWatchesWhileEventsFlowLeavesTheServerAnswering() throws Exception {
    try (LabApiServer server = LabApiServer.start("stall")) {
      KubernetesClient client = server.client();
      client.configMaps().inNamespace("ns").resource(configMap(0)).create();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong writes = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                while (writing.get()) {
                  client.configMaps().inNamespace("ns").resource(configMap(writes.incrementAndGet())).update();
                }
              },
              "watch-close-test-writer");
      writer.setDaemon(true);
      writer.start();
      try {
        for (int i = 0; i < WATCHES; i++) {
          CountDownLatch event = new CountDownLatch(1);
          Watch watch = client.configMaps().inNamespace("ns").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
              event.countDown();
            }

            @Override
            public void onClose(WatcherException cause) {}
          });
          assertThat(event.await(ANSWER.toSeconds(), TimeUnit.SECONDS)).as("watch %s got an event", i).isTrue();
          watch.close();
          long began = System.nanoTime();
          client.configMaps().inNamespace("ns").withName("cm").get();
          assertThat(Duration.ofNanos(System.nanoTime() - began))
              .as("a GET right after closing watch %s (of %s, %s writes so far)", i, WATCHES, writes.get())
              .isLessThan(ANSWER);
        }
      } finally {
        writing.set(false);
        writer.join(ANSWER.toMillis());
      }
    }
  }

  private static ConfigMap configMap(long value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("cm")
        .withNamespace("ns")
        .endMetadata()
        .withData(Map.of("value", Long.toString(value)))
        .build();
  }
}
