package dev.replcert.layer1.data;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.DecodedRecord;
import dev.replcert.harness.workload.RecordFormat;
import java.util.UUID;

/**
 * Reads a secondary over and over while syncs arrive and checks that every read saw a state some
 * sync could have left: the records of the run form an unbroken sequence up to the newest one
 * there (one torn record after it is tolerated, as a crash-consistent copy may hold one). Record
 * N+1 without record N, or a damaged record before the newest, means a sync was visible
 * half-applied or was damaged in transfer.
 *
 * <p>Each read is one storage read of the slots just above the newest record seen so far: where
 * the next sync lands. It never reads below what it already saw, so a read that spans two syncs
 * cannot be mistaken for half a sync.
 *
 * <p>Runs on its own thread from {@link #start()} to {@link #stop()}; the first violation is kept
 * for the test to assert on.
 */
final class SecondaryWatch {

  /** One read of the secondary stays under gRPC's default 4 MiB message limit. */
  private static final int READ_BYTES = 3 << 20;

  private final VolumeIo secondary;
  private final RecordFormat format;
  private final UUID run;
  private final int regionRecords;
  private volatile boolean stopRequested;
  private Thread thread;
  private long reads;
  private long failedReads;
  private String lastFailure;
  private String violation;
  private long newestSeen = -1;

  /** @param secondary the secondary's records (one read of a range must be one storage read) */
  SecondaryWatch(VolumeIo secondary, RecordFormat format, UUID run) {
    this.secondary = secondary;
    this.format = format;
    this.run = run;
    long capacity = format.capacity(secondary.size());
    this.regionRecords = (int) Math.max(2, Math.min(capacity, READ_BYTES / format.recordSize()));
  }

  synchronized void start() {
    thread = new Thread(this::run, "replcert-secondary-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the read in flight; fine to call twice. */
  void stop() throws InterruptedException {
    stopRequested = true;
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null) {
      running.join();
    }
  }

  synchronized String violation() {
    return violation;
  }

  synchronized long reads() {
    return reads;
  }

  synchronized String describe() {
    return reads + " reads of " + regionRecords + " record slots of the secondary, up to record #"
        + newestSeen + " (" + failedReads + " failed"
        + (lastFailure == null ? "" : ", last: " + lastFailure) + "); "
        + (violation == null ? "every read showed an unbroken sequence" : "VIOLATION: " + violation);
  }

  private void run() {
    long capacity = format.capacity(secondary.size());
    while (!stopRequested && violation() == null) {
      long first = Math.min(capacity - 1, newestSeen + 1);
      int count = (int) Math.min(regionRecords, capacity - first);
      byte[] region;
      try {
        region = secondary.read(format.offsetOf(first), count * format.recordSize());
      } catch (VolumeIoException e) {
        synchronized (this) {
          failedReads++;
          lastFailure = e.toString();
        }
        continue;
      }
      DecodedRecord[] records = new DecodedRecord[count];
      for (int i = 0; i < count; i++) {
        records[i] = format.decode(region, i * format.recordSize(), run, first + i);
      }
      String seen = check(records, first);
      synchronized (this) {
        reads++;
        if (seen != null && violation == null) {
          violation = seen + " (read " + reads + ")";
        }
        for (int i = count - 1; i >= 0; i--) {
          if (records[i] instanceof DecodedRecord.Valid) {
            newestSeen = Math.max(newestSeen, first + i);
            break;
          }
        }
      }
    }
  }

  /** Null if the records read are an unbroken sequence up to the newest one, else what is wrong. */
  private static String check(DecodedRecord[] records, long first) {
    int count = records.length;
    long newestValid = -1;
    for (int i = 0; i < count; i++) {
      if (records[i] instanceof DecodedRecord.Valid) {
        newestValid = first + i;
      }
    }
    // a record torn by a write in flight may follow the newest one (or open a region above it)
    long tornAllowed = newestValid >= 0 ? newestValid + 1 : first;
    for (int i = 0; i < count; i++) {
      long slot = first + i;
      DecodedRecord record = records[i];
      if (record instanceof DecodedRecord.Corrupt corrupt && slot != tornAllowed) {
        return "record #" + slot + " is damaged (" + corrupt.reason() + ") on the secondary";
      }
      if (!(record instanceof DecodedRecord.Valid) && slot < newestValid) {
        return "record #" + newestValid + " is on the secondary but record #" + slot + " is not ("
            + record + ")";
      }
    }
    return null;
  }
}
