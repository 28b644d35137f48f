package dev.replcert.harness.workload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The on-volume record format, shared by the in-JVM workload and the workload image (one parser).
 * Record {@code n} lives at offset {@code n * recordSize}; no ring, so a record is never
 * overwritten and its slot alone proves its place. The size need not divide the volume size: the
 * tail shorter than a record is unused. All fields big-endian:
 *
 * <pre>
 *   0  magic            8 bytes  "RPLCRT01"
 *   8  run id          16 bytes  UUID (most, then least significant half)
 *  24  sequence         8 bytes  equals the slot index
 *  32  written at       8 bytes  epoch microseconds, taken just before the write
 *  40  payload length   4 bytes  recordSize - 48
 *  44  payload                   derived from (run id, sequence), so any changed byte shows
 *  -4  CRC32C           4 bytes  over every byte before it
 * </pre>
 */
public final class RecordFormat {

  public static final int DEFAULT_RECORD_SIZE = 4096;
  public static final int MIN_RECORD_SIZE = 512;
  public static final int MAX_RECORD_SIZE = 1 << 20;
  public static final RecordFormat DEFAULT = new RecordFormat(DEFAULT_RECORD_SIZE);

  static final byte[] MAGIC = "RPLCRT01".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_BYTES = 44;
  static final int CRC_BYTES = 4;
  private static final int PAYLOAD_LENGTH_AT = 40;

  private final int recordSize;

  /** @param recordSize bytes per record, {@value #MIN_RECORD_SIZE}..{@value #MAX_RECORD_SIZE} */
  public RecordFormat(int recordSize) {
    if (recordSize < MIN_RECORD_SIZE || recordSize > MAX_RECORD_SIZE) {
      throw new IllegalArgumentException(
          "record size " + recordSize + " outside " + MIN_RECORD_SIZE + ".." + MAX_RECORD_SIZE);
    }
    this.recordSize = recordSize;
  }

  public int recordSize() {
    return recordSize;
  }

  public int payloadLength() {
    return recordSize - HEADER_BYTES - CRC_BYTES;
  }

  /** Where record {@code sequence} lives. */
  public long offsetOf(long sequence) {
    return sequence * recordSize;
  }

  /** How many records fit on a volume of {@code volumeSize} bytes. */
  public long capacity(long volumeSize) {
    return volumeSize / recordSize;
  }

  /** The record for slot {@code sequence} of run {@code runId}. */
  public byte[] encode(UUID runId, long sequence, Instant writtenAt) {
    ByteBuffer record = ByteBuffer.allocate(recordSize).order(ByteOrder.BIG_ENDIAN);
    record.put(MAGIC);
    record.putLong(runId.getMostSignificantBits()).putLong(runId.getLeastSignificantBits());
    record.putLong(sequence);
    record.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, writtenAt));
    record.putInt(payloadLength());
    Payload.fill(record, runId, sequence, payloadLength());
    record.putInt(crc(record.array(), 0));
    return record.array();
  }

  /**
   * Reads the record at {@code chunk[offset..offset + recordSize)} expected in slot {@code slot}.
   * The checksum is checked before the run id, so a flipped bit in our own run id shows as
   * corruption, never as a foreign record to be ignored.
   */
  public DecodedRecord decode(byte[] chunk, int offset, UUID runId, long slot) {
    if (isZero(chunk, offset, recordSize)) {
      return new DecodedRecord.Empty();
    }
    ByteBuffer record = ByteBuffer.wrap(chunk, offset, recordSize).slice();
    if (!Arrays.equals(chunk, offset, offset + MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return new DecodedRecord.Corrupt("no record magic");
    }
    int stored = record.getInt(recordSize - CRC_BYTES);
    if (stored != crc(chunk, offset)) {
      return new DecodedRecord.Corrupt("checksum mismatch");
    }
    UUID found = new UUID(record.getLong(8), record.getLong(16));
    if (!found.equals(runId)) {
      return new DecodedRecord.Foreign(found);
    }
    long sequence = record.getLong(24);
    if (sequence != slot) {
      return new DecodedRecord.Corrupt("record " + sequence + " found in slot " + slot);
    }
    if (record.getInt(PAYLOAD_LENGTH_AT) != payloadLength()) {
      return new DecodedRecord.Corrupt(
          "payload length " + record.getInt(PAYLOAD_LENGTH_AT) + ", format has " + payloadLength());
    }
    // Only a writer that computed the checksum over wrong data gets here with a bad payload.
    if (!Payload.matches(record, HEADER_BYTES, runId, sequence, payloadLength())) {
      return new DecodedRecord.Corrupt("payload differs from the one of its run and sequence");
    }
    Instant writtenAt = Instant.EPOCH.plus(record.getLong(32), ChronoUnit.MICROS);
    return new DecodedRecord.Valid(sequence, writtenAt);
  }

  private int crc(byte[] chunk, int offset) {
    CRC32C crc = new CRC32C();
    crc.update(chunk, offset, recordSize - CRC_BYTES);
    return (int) crc.getValue();
  }

  private static boolean isZero(byte[] chunk, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (chunk[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "RecordFormat[" + recordSize + " bytes]";
  }
}
