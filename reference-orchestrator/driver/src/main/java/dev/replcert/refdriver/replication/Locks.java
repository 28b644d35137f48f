package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.storage.Volume;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Takes the same lock of several volumes in volume-id order (the one order everybody uses, so two
 * multi-volume operations cannot deadlock), all or none.
 */
final class Locks {

  private Locks() {}

  static List<ReentrantLock> repl(List<Volume> volumes) {
    return sorted(volumes, Volume::replLock);
  }

  static List<ReentrantLock> io(List<Volume> volumes) {
    return sorted(volumes, Volume::ioLock);
  }

  private static List<ReentrantLock> sorted(List<Volume> volumes, Function<Volume, ReentrantLock> lock) {
    return volumes.stream().sorted(Comparator.comparing(Volume::id)).map(lock).toList();
  }

  /** Takes all at once or none, without waiting. */
  static boolean tryAll(List<ReentrantLock> locks) {
    List<ReentrantLock> taken = new ArrayList<>();
    for (ReentrantLock lock : locks) {
      if (!lock.tryLock()) {
        unlockAll(taken);
        return false;
      }
      taken.add(lock);
    }
    return true;
  }

  /** Takes all, waiting until {@code deadline} at most; none are held when it returns false. */
  static boolean all(List<ReentrantLock> locks, Instant deadline) throws InterruptedException {
    List<ReentrantLock> taken = new ArrayList<>();
    for (ReentrantLock lock : locks) {
      long wait = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
      if (!lock.tryLock(wait, TimeUnit.NANOSECONDS)) {
        unlockAll(taken);
        return false;
      }
      taken.add(lock);
    }
    return true;
  }

  /** Takes all unconditionally (only for short critical sections: I/O locks). */
  static void lockAll(List<ReentrantLock> locks) {
    locks.forEach(ReentrantLock::lock);
  }

  static void unlockAll(List<ReentrantLock> locks) {
    for (int i = locks.size() - 1; i >= 0; i--) {
      locks.get(i).unlock();
    }
  }
}
