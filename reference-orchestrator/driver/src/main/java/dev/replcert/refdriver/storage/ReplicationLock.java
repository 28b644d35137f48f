package dev.replcert.refdriver.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A volume's replication lock that, when first taken, runs the volume's pending {@link Checkpoint}
 * before the taker can change anything: a sync applied lazily must be durable in the volume before
 * a promote, a demote, another sync or anything else that takes this lock builds on it (otherwise
 * a restart would re-apply its journal over their changes). A checkpoint that fails leaves the lock
 * not taken: {@link #tryLock} answers false (the volume counts as busy), {@link #lock} throws.
 */
final class ReplicationLock extends ReentrantLock {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationLock.class);

  private final Volume volume;

  ReplicationLock(Volume volume) {
    this.volume = volume;
  }

  @Override
  public void lock() {
    super.lock();
    settleOrUnlock();
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    super.lockInterruptibly();
    settleOrUnlock();
  }

  @Override
  public boolean tryLock() {
    return super.tryLock() && settled();
  }

  @Override
  public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
    return super.tryLock(timeout, unit) && settled();
  }

  private void settleOrUnlock() {
    if (getHoldCount() > 1) {
      return; // settled when it was first taken
    }
    try {
      volume.settle();
    } catch (RuntimeException e) {
      super.unlock();
      throw e;
    }
  }

  private boolean settled() {
    try {
      settleOrUnlock();
      return true;
    } catch (RuntimeException e) {
      LOG.warn("volume {}: the checkpoint of its last sync failed; the volume stays busy until it succeeds", volume.id(), e);
      return false;
    }
  }
}
