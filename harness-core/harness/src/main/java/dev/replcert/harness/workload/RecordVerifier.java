package dev.replcert.harness.workload;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.Verification.CorruptRecord;
import dev.replcert.harness.workload.Verification.Gap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads every record slot of a volume and says what survived of one run: the check a DR test
 * runs on the surviving site. The whole volume is read, not just up to the first hole, because a
 * record after a hole is exactly what a broken replication leaves behind.
 */
public final class RecordVerifier {

  /** Bytes per read: large for speed, and under gRPC's default 4 MiB message limit. */
  static final int CHUNK_BYTES = 1 << 20;

  private final VolumeIo volume;
  private final RecordFormat format;
  private final UUID runId;

  public RecordVerifier(VolumeIo volume, RecordFormat format, UUID runId) {
    this.volume = Objects.requireNonNull(volume, "volume");
    this.format = Objects.requireNonNull(format, "format");
    this.runId = Objects.requireNonNull(runId, "runId");
  }

  /** Reads the volume from offset 0; a read failure propagates as a VolumeIoException. */
  public Verification verify() {
    Tally tally = new Tally(format);
    long capacity = scan((slot, record) -> {
      tally.add(slot, record);
      return true;
    });
    return tally.result(runId, capacity);
  }

  /**
   * The last record of the contiguous prefix from #0 ({@link Verification#lastContiguous()}), read
   * only as far as that prefix reaches: where a writer resumes, without scanning the whole volume.
   */
  public long lastContiguous() {
    long[] last = {-1};
    scan((slot, record) -> {
      if (record instanceof DecodedRecord.Valid) {
        last[0] = slot;
        return true;
      }
      return false;
    });
    return last[0];
  }

  /** One slot's record as read; false stops the scan. */
  private interface Slots {
    boolean next(long slot, DecodedRecord record);
  }

  /** Reads slot by slot from #0, a chunk at a time, until {@code slots} says stop; returns the capacity. */
  private long scan(Slots slots) {
    int size = format.recordSize();
    long capacity = format.capacity(volume.size());
    int perChunk = Math.max(1, CHUNK_BYTES / size);
    for (long first = 0; first < capacity; first += perChunk) {
      int records = (int) Math.min(perChunk, capacity - first);
      byte[] chunk = volume.read(format.offsetOf(first), records * size);
      for (int i = 0; i < records; i++) {
        if (!slots.next(first + i, format.decode(chunk, i * size, runId, first + i))) {
          return capacity;
        }
      }
    }
    return capacity;
  }

  /** Accumulates slot by slot; gaps become final only once an intact record follows them. */
  private static final class Tally {

    private final RecordFormat format;
    // every slot so far held an intact record
    private boolean unbroken = true;
    private long lastContiguous = -1;
    private Instant lastWriteTime;
    private long validCount;
    private long lastValid = -1;
    private final List<Gap> gaps = new ArrayList<>();
    private long missingCount;
    private final List<CorruptRecord> corrupt = new ArrayList<>();
    private long corruptCount;
    private long foreignCount;
    // missing slots since the last intact record: a gap if an intact record follows, else loss
    private final List<Gap> pendingGaps = new ArrayList<>();
    private long pendingMissing;
    private long openGapStart = -1;

    Tally(RecordFormat format) {
      this.format = format;
    }

    void add(long slot, DecodedRecord record) {
      if (record instanceof DecodedRecord.Valid valid) {
        intact(slot, valid);
        return;
      }
      unbroken = false;
      if (record instanceof DecodedRecord.Corrupt damaged) {
        closeOpenGap(slot);
        corruptCount++;
        if (corrupt.size() < Verification.MAX_LISTED) {
          corrupt.add(new CorruptRecord(slot, format.offsetOf(slot), damaged.reason()));
        }
        return;
      }
      if (record instanceof DecodedRecord.Foreign) {
        foreignCount++;
      }
      missing(slot);
    }

    private void intact(long slot, DecodedRecord.Valid valid) {
      validCount++;
      if (unbroken) {
        lastContiguous = slot;
        lastWriteTime = valid.writtenAt();
      }
      lastValid = slot;
      closeOpenGap(slot);
      for (Gap gap : pendingGaps) {
        if (gaps.size() < Verification.MAX_LISTED) {
          gaps.add(gap);
        }
      }
      missingCount += pendingMissing;
      pendingGaps.clear();
      pendingMissing = 0;
    }

    private void missing(long slot) {
      if (openGapStart < 0) {
        openGapStart = slot;
      }
      pendingMissing++;
    }

    private void closeOpenGap(long slot) {
      if (openGapStart >= 0) {
        if (pendingGaps.size() < Verification.MAX_LISTED) {
          pendingGaps.add(new Gap(openGapStart, slot - 1));
        }
        openGapStart = -1;
      }
    }

    Verification result(UUID runId, long capacity) {
      return new Verification(
          runId,
          format.recordSize(),
          capacity,
          lastContiguous,
          validCount,
          lastValid,
          gaps,
          missingCount,
          corrupt,
          corruptCount,
          foreignCount,
          lastWriteTime);
    }
  }
}
