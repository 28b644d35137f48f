package dev.replcert.layer1.support;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.DecodedRecord;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Verifies what a writer wrote by reading only the record slots it could have touched (plus a
 * margin), not the whole volume: a test volume is 1 GiB by default and a layer-1 check must take
 * milliseconds. Writers fill slots from 0 upwards, so nothing of their run can lie past the last
 * slot they issued; the margin still shows a record that appears where none was written.
 */
public final class WrittenRecords {

  /** Slots read past the writer's last issued record. */
  static final int MARGIN = 64;

  private WrittenRecords() {}

  /** Bytes per write of {@link #writeAll}: the verifier's chunk, under gRPC's 4 MiB message limit. */
  static final int BATCH_BYTES = 1 << 20;

  /**
   * Writes records 0..count-1 of a new run in large writes, then flushes once, and reports them
   * as a writer that acknowledges at the flush would: for a test that needs a known amount of data
   * on a volume fast, not a paced application (that is {@link RecordWriter}).
   */
  public static WriterReport writeAll(VolumeIo volume, RecordFormat format, int count) {
    UUID runId = UUID.randomUUID();
    int perBatch = Math.max(1, BATCH_BYTES / format.recordSize());
    Instant startedAt = null;
    Instant at = null;
    for (int first = 0; first < count; first += perBatch) {
      int records = Math.min(perBatch, count - first);
      at = Instant.now().truncatedTo(ChronoUnit.MICROS);
      startedAt = startedAt == null ? at : startedAt;
      byte[] batch = new byte[records * format.recordSize()];
      for (int i = 0; i < records; i++) {
        byte[] record = format.encode(runId, first + i, at);
        System.arraycopy(record, 0, batch, i * format.recordSize(), record.length);
      }
      volume.write(format.offsetOf(first), batch);
    }
    volume.flush();
    return new WriterReport(
        runId, 0, count - 1, count - 1, at, startedAt, null, WriterReport.StopReason.STOPPED);
  }

  /**
   * Reads only the writer's first and last acknowledged records: the quickest look at whether a
   * volume holds a write set, for a check that must happen the moment the driver says it does.
   * Returns what is wrong with them (empty when both are intact).
   */
  public static List<String> checkEnds(VolumeIo volume, RecordFormat format, WriterReport writer) {
    List<String> wrong = new ArrayList<>();
    for (long slot : new long[] {writer.lastAcked(), writer.firstSequence()}) {
      if (slot < 0) {
        continue;
      }
      DecodedRecord record =
          format.decode(volume.read(format.offsetOf(slot), format.recordSize()), 0, writer.runId(), slot);
      if (!(record instanceof DecodedRecord.Valid)) {
        wrong.add("record #" + slot + " is " + record);
      }
    }
    return wrong;
  }

  /** The verifier's view of {@code volume} for {@code writer}'s run. */
  public static Verification verify(VolumeIo volume, RecordFormat format, WriterReport writer) {
    long slots = Math.max(0, writer.lastAttempted() + 1) + MARGIN;
    VolumeIo window = new Window(volume, Math.min(volume.size(), slots * format.recordSize()));
    return new RecordVerifier(window, format, writer.runId()).verify();
  }

  /** The first {@code size} bytes of a volume; closing it leaves the volume open. */
  private record Window(VolumeIo volume, long size) implements VolumeIo {

    @Override
    public void write(long offset, byte[] data) {
      check(offset, data.length);
      volume.write(offset, data);
    }

    @Override
    public byte[] read(long offset, int length) {
      check(offset, length);
      return volume.read(offset, length);
    }

    @Override
    public void flush() {
      volume.flush();
    }

    @Override
    public void close() {}

    private void check(long offset, int length) {
      if (offset < 0 || offset + length > size) {
        throw new VolumeIoException(
            VolumeIoException.Kind.OUT_OF_RANGE,
            "bytes " + offset + ".." + (offset + length) + " lie outside the verified window of "
                + size + " bytes");
      }
    }
  }
}
