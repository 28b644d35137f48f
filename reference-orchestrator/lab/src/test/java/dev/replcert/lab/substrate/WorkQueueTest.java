package dev.replcert.lab.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lab controllers' work queue: client-go's semantics, retry policies and resync. */
class WorkQueueTest {

  static final Duration SOON = Duration.ofSeconds(5);
  static final Duration POLL = Duration.ofMillis(10);

  /** Reconciles per key, in order of arrival. */
  final List<String> runs = new CopyOnWriteArrayList<>();

  WorkQueue queue;

  @AfterEach
  void close() {
    if (queue != null) {
      queue.close();
    }
  }

  private long count(String key) {
    return runs.stream().filter(key::equals).count();
  }

  /** A reconcile of "gate" holds the queue's thread until the latch opens. */
  private WorkQueue.Reconciler gated(CountDownLatch gate) {
    return key -> {
      if (key.equals("gate")) {
        gate.await(10, TimeUnit.SECONDS);
      }
      runs.add(key);
      return Optional.empty();
    };
  }

  @Test
  void aKeyQueuedManyTimesWhileItWaitsIsReconciledOnce() {
    CountDownLatch gate = new CountDownLatch(1);
    queue = WorkQueue.builder("test-dedup", gated(gate)).build();
    queue.add("gate");
    for (int i = 0; i < 5; i++) {
      queue.add("a");
      queue.addAfter("a", Duration.ofMillis(20));
    }
    gate.countDown();

    await("a reconciled").atMost(SOON).pollInterval(POLL).until(() -> count("a") == 1);
    await("a not reconciled again")
        .during(Duration.ofMillis(300))
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> count("a") == 1);
  }

  @Test
  void aKeyQueuedEarlierThanItWaitsRunsAtTheEarlierTime() {
    queue = WorkQueue.builder("test-earliest", gated(new CountDownLatch(0))).build();
    queue.addAfter("a", Duration.ofHours(1));
    queue.addAfter("a", Duration.ofMillis(20));

    await("a reconciled at the earlier time")
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> count("a") == 1);
  }

  @Test
  void aKeyQueuedLaterThanItWaitsKeepsTheEarlierTimeAndRunsOnce() {
    queue = WorkQueue.builder("test-later", gated(new CountDownLatch(0))).build();
    queue.addAfter("a", Duration.ofMillis(20));
    queue.addAfter("a", Duration.ofMillis(1500));

    await("a reconciled at the earlier time")
        .atMost(Duration.ofMillis(1400))
        .pollInterval(POLL)
        .until(() -> count("a") == 1);
    await("the later time dropped")
        .during(Duration.ofMillis(1000))
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> count("a") == 1);
  }

  @Test
  void reconcilesOfOneQueueNeverOverlap() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    queue =
        WorkQueue.builder(
                "test-serial",
                key -> {
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  runs.add(key);
                  running.decrementAndGet();
                  return Optional.empty();
                })
            .build();
    for (int p = 0; p < 4; p++) {
      int producer = p;
      new Thread(
              () -> {
                for (int i = 0; i < 50; i++) {
                  queue.add(producer + "-" + i);
                }
              })
          .start();
    }

    await("200 keys reconciled").atMost(SOON).pollInterval(POLL).until(() -> runs.size() == 200);
    assertThat(most.get()).isEqualTo(1);
  }

  @Test
  void failuresBackOffAndASuccessStartsTheBackoffAgain() {
    List<Integer> asked = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    queue =
        WorkQueue.builder(
                "test-backoff",
                key -> {
                  int call = calls.incrementAndGet();
                  runs.add(key);
                  // fails three times, succeeds once, then fails again
                  if (call <= 3 || call == 5) {
                    throw new IllegalStateException("failure " + call);
                  }
                  return Optional.empty();
                })
            .retry(
                failures -> {
                  asked.add(failures);
                  return Optional.of(Duration.ofMillis(10));
                })
            .build();

    queue.add("a");
    await("three failures then a success")
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> calls.get() == 4);
    queue.add("a");
    await("the next failure retried")
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> calls.get() == 6);

    assertThat(asked).containsExactly(1, 2, 3, 1);
  }

  @Test
  void exponentialBackoffDoublesUpToItsCapAndFixedStaysTheSame() {
    RetryPolicy exponential =
        RetryPolicy.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100))
        .extracting(n -> exponential.after(n).orElseThrow().toMillis())
        .containsExactly(50L, 100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    assertThat(RetryPolicy.fixed(Duration.ofMillis(250)).after(7)).contains(Duration.ofMillis(250));
    assertThat(RetryPolicy.nextResync().after(1)).isEmpty();
    assertThat(WorkQueue.DEFAULT_RETRY.after(1)).contains(Duration.ofMillis(50));
  }

  @Test
  void theRequeueAReconcileAsksForRunsTheKeyAgain() {
    AtomicInteger calls = new AtomicInteger();
    queue =
        WorkQueue.builder(
                "test-requeue",
                key -> {
                  runs.add(key);
                  return calls.incrementAndGet() < 3
                      ? Optional.of(Duration.ofMillis(10))
                      : Optional.empty();
                })
            .build();
    queue.add("a");

    await("a looked at three times")
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> count("a") == 3);
    await("and not again")
        .during(Duration.ofMillis(200))
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> count("a") == 3);
  }

  @Test
  void theResyncQueuesEveryListedKeyEachPeriodAndRetriesWhatFailed() {
    Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    queue =
        WorkQueue.builder(
                "test-resync",
                key -> {
                  runs.add(key);
                  int tried =
                      tries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                  if (key.equals("broken") && tried == 1) {
                    throw new IllegalStateException("first try fails");
                  }
                  return Optional.empty();
                })
            .retry(RetryPolicy.nextResync())
            .resync(Duration.ofMillis(50), () -> List.of("a", "broken"))
            .build();
    assertThat(runs).as("nothing before start").isEmpty();
    queue.start();

    await("a and broken resynced three times")
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> count("a") >= 3 && count("broken") >= 3);
    assertThat(tries.get("broken").get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void closeStopsTheThreadAndDropsWaitingKeys() {
    AtomicReference<Thread> worker = new AtomicReference<>();
    queue =
        WorkQueue.builder(
                "test-close",
                key -> {
                  worker.set(Thread.currentThread());
                  runs.add(key);
                  return Optional.empty();
                })
            .build();
    queue.add("first");
    await("first reconciled").atMost(SOON).pollInterval(POLL).until(() -> count("first") == 1);
    assertThat(worker.get().getName()).isEqualTo("test-close");
    assertThat(worker.get().isDaemon()).isTrue();
    queue.addAfter("waiting", Duration.ofMillis(100));

    queue.close();
    queue.add("after-close");

    await("queue thread ended")
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> !worker.get().isAlive());
    await("waiting and after-close never reconciled")
        .during(Duration.ofMillis(300))
        .atMost(SOON)
        .pollInterval(POLL)
        .until(() -> runs.equals(List.of("first")));
  }
}
