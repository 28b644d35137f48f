package dev.replcert.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Starts the lab's parts at the same time, each on its own thread. {@link #await()} returns once
 * all have started, or closes every part that did start and throws naming the parts that failed.
 *
 * <pre>{@code
 * ParallelStart start = new ParallelStart();
 * Supplier<LabApiServer> hub = start.add("cluster hub", () -> LabApiServer.start("hub"));
 * start.await();
 * hub.get();
 * }</pre>
 */
final class ParallelStart {

  private final List<Part<?>> parts = new ArrayList<>();
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "replcert-lab-start-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private record Part<T extends AutoCloseable>(
      String what, CompletableFuture<T> started, AtomicLong nanos) {}

  /** Starts {@code part} now; the returned supplier gives it after {@link #await()}. */
  <T extends AutoCloseable> Supplier<T> add(String what, Callable<T> part) {
    AtomicLong nanos = new AtomicLong();
    CompletableFuture<T> started =
        CompletableFuture.supplyAsync(
            () -> {
              long began = System.nanoTime();
              try {
                return part.call();
              } catch (Exception e) {
                throw new CompletionException(e);
              } finally {
                nanos.set(System.nanoTime() - began);
              }
            },
            pool);
    parts.add(new Part<>(what, started, nanos));
    return started::join;
  }

  /**
   * Waits for every part. If any failed, closes the others and throws an {@link
   * IllegalStateException} naming each failed part, with its exception as cause (the others
   * suppressed).
   */
  void await() {
    try {
      CompletableFuture.allOf(parts.stream().map(Part::started).toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .join();
      List<String> failed = new ArrayList<>();
      List<Throwable> causes = new ArrayList<>();
      for (Part<?> part : parts) {
        if (part.started().isCompletedExceptionally()) {
          Throwable cause = cause(part.started());
          failed.add(part.what() + ": " + cause.getMessage());
          causes.add(cause);
        }
      }
      if (failed.isEmpty()) {
        return;
      }
      closeStarted();
      IllegalStateException e =
          new IllegalStateException("the lab did not start; " + String.join("; ", failed), causes.get(0));
      causes.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    } finally {
      pool.shutdown();
    }
  }

  /** How long each part took to start, e.g. {@code API server hub 310 ms}; after {@link #await()}. */
  String timings() {
    StringBuilder text = new StringBuilder();
    for (Part<?> part : parts) {
      text.append(text.isEmpty() ? "" : ", ")
          .append(part.what())
          .append(' ')
          .append(part.nanos().get() / 1_000_000)
          .append(" ms");
    }
    return text.toString();
  }

  private void closeStarted() {
    for (Part<?> part : parts) {
      if (!part.started().isCompletedExceptionally()) {
        try {
          part.started().join().close();
        } catch (Exception ignored) {
          // the start failure is what the caller needs to see
        }
      }
    }
  }

  private static Throwable cause(CompletableFuture<?> future) {
    try {
      future.join();
      throw new IllegalStateException("not failed");
    } catch (CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    }
  }
}
