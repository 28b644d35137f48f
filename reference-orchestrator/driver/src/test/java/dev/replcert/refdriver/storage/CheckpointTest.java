package dev.replcert.refdriver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lazily run checkpoint runs before anyone else gets the volume's replication lock, exactly once,
 * and a failing one keeps the lock from being taken until it succeeds.
 */
class CheckpointTest {

  @TempDir java.nio.file.Path tmp;

  @Test
  void theNextTakerOfTheReplicationLockRunsThePendingCheckpointFirst() {
    Volume volume = volume("a");
    AtomicInteger runs = new AtomicInteger();
    volume.replLock().lock();
    try {
      Checkpoint.register(List.of(volume), runs::incrementAndGet);
    } finally {
      volume.replLock().unlock();
    }
    assertThat(runs).as("registering does not run it").hasValue(0);
    assertThat(volume.checkpointPending()).isTrue();

    assertThat(volume.replLock().tryLock()).isTrue();
    assertThat(runs).as("run before the taker got the lock").hasValue(1);
    volume.replLock().unlock();
    volume.replLock().lock();
    volume.replLock().unlock();
    assertThat(runs).as("once").hasValue(1);
    assertThat(volume.checkpointPending()).isFalse();
    volume.close();
  }

  @Test
  void aGroupCheckpointRunOnceClearsEveryMember() {
    Volume a = volume("a");
    Volume b = volume("b");
    AtomicInteger runs = new AtomicInteger();
    a.replLock().lock();
    b.replLock().lock();
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.register(List.of(a, b), runs::incrementAndGet);
    } finally {
      b.replLock().unlock();
      a.replLock().unlock();
    }
    checkpoint.run(); // on its own, as the receiver schedules it
    assertThat(a.replLock().tryLock()).isTrue();
    assertThat(b.replLock().tryLock()).isTrue();
    b.replLock().unlock();
    a.replLock().unlock();
    assertThat(runs).hasValue(1);
    assertThat(a.checkpointPending()).isFalse();
    assertThat(b.checkpointPending()).isFalse();
    a.close();
    b.close();
  }

  @Test
  void aFailingCheckpointKeepsTheVolumeBusyUntilItSucceeds() {
    Volume volume = volume("a");
    AtomicBoolean failing = new AtomicBoolean(true);
    AtomicInteger runs = new AtomicInteger();
    volume.replLock().lock();
    try {
      Checkpoint.register(
          List.of(volume),
          () -> {
            if (failing.get()) {
              throw new IllegalStateException("disk full");
            }
            runs.incrementAndGet();
          });
    } finally {
      volume.replLock().unlock();
    }
    assertThat(volume.replLock().tryLock()).as("busy while the checkpoint fails").isFalse();
    assertThat(volume.replLock().isLocked()).isFalse();
    assertThatThrownBy(() -> volume.replLock().lock()).hasMessageContaining("disk full");
    assertThat(volume.replLock().isLocked()).isFalse();

    failing.set(false);
    assertThat(volume.replLock().tryLock()).isTrue();
    volume.replLock().unlock();
    assertThat(runs).hasValue(1);
    volume.close();
  }

  @Test
  void closingRunsThePendingCheckpoint() {
    Volume volume = volume("a");
    AtomicInteger runs = new AtomicInteger();
    volume.replLock().lock();
    try {
      Checkpoint.register(List.of(volume), runs::incrementAndGet);
    } finally {
      volume.replLock().unlock();
    }
    volume.close();
    assertThat(runs).hasValue(1);
  }

  private Volume volume(String id) {
    VolumeMeta meta = new VolumeMeta();
    meta.id = "vol-" + id;
    meta.name = id;
    meta.capacityBytes = 4L * Blocks.SIZE;
    meta.blockSize = Blocks.SIZE;
    meta.createdAt = Instant.now();
    return Volume.create(tmp.resolve(id), meta);
  }
}
