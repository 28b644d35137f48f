package dev.replcert.refdriver.storage;

import java.util.List;

/**
 * Work that makes an applied sync durable in its volumes themselves (their blocks and metadata),
 * run after the sync was acknowledged instead of before: until it has run, the sync's committed
 * journal is what makes it durable, and a restart re-applies that journal. It must therefore run
 * before anything else changes these volumes, which is why every member's replication lock runs it
 * when taken ({@link ReplicationLock}), and why closing a member runs it too. It also runs on its
 * own a little later (the receiver schedules it), so the next sync normally finds nothing to do.
 *
 * <p>Runs at most once successfully, whoever comes first; a failed run stays pending and is tried
 * again by the next taker (which must not go on before it succeeded).
 */
public final class Checkpoint {

  private final List<Volume> volumes;
  private final Runnable work;
  private boolean done;

  private Checkpoint(List<Volume> volumes, Runnable work) {
    this.volumes = List.copyOf(volumes);
    this.work = work;
  }

  /**
   * Makes {@code work} pending on {@code volumes}. The caller holds their replication locks (so
   * any later taker of one of them sees it), and none of them has another checkpoint pending (the
   * caller's own lock acquisition ran it).
   */
  public static Checkpoint register(List<Volume> volumes, Runnable work) {
    Checkpoint checkpoint = new Checkpoint(volumes, work);
    for (Volume volume : volumes) {
      if (!volume.replLock().isHeldByCurrentThread()) {
        throw new IllegalStateException("a checkpoint is registered under the replication locks");
      }
      volume.pend(checkpoint);
    }
    return checkpoint;
  }

  /** Runs the work unless it already ran; throws (and stays pending) when it fails. */
  public synchronized void run() {
    if (done) {
      return;
    }
    work.run();
    done = true;
    volumes.forEach(v -> v.settled(this));
  }

  public synchronized boolean done() {
    return done;
  }
}
