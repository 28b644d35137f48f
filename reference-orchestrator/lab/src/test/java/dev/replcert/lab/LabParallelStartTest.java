package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The lab's parallel start: all parts or none. */
class LabParallelStartTest {

  @Test
  void givesEveryPartOnceAllHaveStarted() {
    ParallelStart start = new ParallelStart();
    Supplier<Part> a = start.add("part a", Part::new);
    Supplier<Part> b = start.add("part b", Part::new);

    start.await();

    assertThat(a.get()).isNotSameAs(b.get());
    assertThat(start.timings()).contains("part a ", "part b ", " ms");
  }

  @Test
  void aFailedPartClosesTheOthersAndIsNamed() {
    ParallelStart start = new ParallelStart();
    Supplier<Part> started = start.add("part a", Part::new);
    start.add(
        "API server west",
        () -> {
          throw new IllegalStateException("port taken");
        });

    assertThatThrownBy(start::await)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the lab did not start; API server west: port taken")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(started.get().closed).isTrue();
  }

  private static final class Part implements AutoCloseable {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
