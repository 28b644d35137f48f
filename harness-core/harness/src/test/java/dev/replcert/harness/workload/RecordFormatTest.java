package dev.replcert.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record layout, and that every kind of damage shows. */
class RecordFormatTest {

  private static final UUID RUN = UUID.fromString("00000000-0000-4000-8000-0000000000aa");
  private static final Instant AT = Instant.parse("2030-01-01T12:00:00.123456Z");
  private final RecordFormat format = RecordFormat.DEFAULT;

  @Test
  void encodedRecordDecodesToItsSequenceAndTime() {
    byte[] record = format.encode(RUN, 7, AT);

    assertThat(record).hasSize(4096);
    assertThat(format.decode(record, 0, RUN, 7)).isEqualTo(new DecodedRecord.Valid(7, AT));
  }

  @Test
  void layoutIsTheDocumentedOne() {
    ByteBuffer record = ByteBuffer.wrap(format.encode(RUN, 0x0102030405060708L, AT));

    assertThat(new String(record.array(), 0, 8, StandardCharsets.US_ASCII))
        .isEqualTo("RPLCRT01");
    assertThat(new UUID(record.getLong(8), record.getLong(16))).isEqualTo(RUN);
    assertThat(record.getLong(24)).isEqualTo(0x0102030405060708L);
    assertThat(record.getLong(32)).isEqualTo(AT.getEpochSecond() * 1_000_000 + 123_456);
    assertThat(record.getInt(40)).isEqualTo(4096 - 48).isEqualTo(format.payloadLength());
    CRC32C crc = new CRC32C();
    crc.update(record.array(), 0, 4092);
    assertThat(record.getInt(4092)).isEqualTo((int) crc.getValue());
  }

  @Test
  void allZeroSlotIsEmpty() {
    assertThat(format.decode(new byte[8192], 4096, RUN, 1)).isInstanceOf(DecodedRecord.Empty.class);
  }

  @ParameterizedTest(name = "byte {0} flipped")
  @ValueSource(ints = {9, 20, 25, 33, 41, 44, 2000, 4091, 4092, 4095})
  void oneFlippedByteAnywhereAfterTheMagicIsAChecksumMismatch(int at) {
    byte[] record = format.encode(RUN, 3, AT);
    record[at] ^= 0x01;

    // includes the run id: damage to our own id must not pass as another run's record
    assertThat(format.decode(record, 0, RUN, 3))
        .isEqualTo(new DecodedRecord.Corrupt("checksum mismatch"));
  }

  @Test
  void damagedMagicIsNoRecord() {
    byte[] record = format.encode(RUN, 3, AT);
    record[0] = 0;

    assertThat(format.decode(record, 0, RUN, 3))
        .isEqualTo(new DecodedRecord.Corrupt("no record magic"));
  }

  @Test
  void intactRecordOfAnotherRunIsForeign() {
    UUID other = UUID.randomUUID();

    assertThat(format.decode(format.encode(other, 3, AT), 0, RUN, 3))
        .isEqualTo(new DecodedRecord.Foreign(other));
  }

  @Test
  void intactRecordInTheWrongSlotIsCorrupt() {
    assertThat(format.decode(format.encode(RUN, 3, AT), 0, RUN, 4))
        .isEqualTo(new DecodedRecord.Corrupt("record 3 found in slot 4"));
  }

  @Test
  void payloadOfAnotherSequenceIsCaughtEvenWithARecomputedChecksum() {
    byte[] record = format.encode(RUN, 3, AT);
    byte[] other = format.encode(RUN, 4, AT);
    System.arraycopy(other, 44, record, 44, format.payloadLength());
    CRC32C crc = new CRC32C();
    crc.update(record, 0, 4092);
    ByteBuffer.wrap(record).putInt(4092, (int) crc.getValue());

    assertThat(format.decode(record, 0, RUN, 3))
        .isInstanceOfSatisfying(
            DecodedRecord.Corrupt.class,
            c -> assertThat(c.reason()).contains("payload differs"));
  }

  @Test
  void payloadDiffersBetweenSequencesAndRuns() {
    byte[] a = format.encode(RUN, 1, AT);
    byte[] b = format.encode(RUN, 2, AT);
    byte[] c = format.encode(UUID.randomUUID(), 1, AT);

    assertThat(ByteBuffer.wrap(a, 44, 4048)).isNotEqualTo(ByteBuffer.wrap(b, 44, 4048));
    assertThat(ByteBuffer.wrap(a, 44, 4048)).isNotEqualTo(ByteBuffer.wrap(c, 44, 4048));
  }

  @Test
  void recordSizeMayBeAnyValueWithinLimits() {
    RecordFormat odd = new RecordFormat(1000);
    byte[] chunk = new byte[3000];
    System.arraycopy(odd.encode(RUN, 1, AT), 0, chunk, 1000, 1000);

    assertThat(odd.decode(chunk, 1000, RUN, 1)).isEqualTo(new DecodedRecord.Valid(1, AT));
    assertThat(odd.capacity(10_999)).isEqualTo(10);
    assertThat(odd.offsetOf(3)).isEqualTo(3000);
    assertThat(new RecordFormat(512).payloadLength()).isEqualTo(464);
    assertThat(new RecordFormat(1 << 20).encode(RUN, 0, AT)).hasSize(1 << 20);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 511, (1 << 20) + 1})
  void recordSizeOutsideLimitsIsRefused(int size) {
    assertThatThrownBy(() -> new RecordFormat(size))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("512..1048576");
  }
}
