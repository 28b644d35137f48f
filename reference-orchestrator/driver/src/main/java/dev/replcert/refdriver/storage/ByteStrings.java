package dev.replcert.refdriver.storage;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads the bytes of a received ByteString where they lie (no copy): block data arrives by the
 * gigabyte during a full sync, and every pass over it costs throughput.
 */
public final class ByteStrings {

  private ByteStrings() {}

  /** A sink for the pieces of a ByteString. */
  public interface Sink {
    void accept(byte[] bytes, int offset, int length) throws IOException;
  }

  /** Feeds {@code data} to {@code sink} piece by piece, from its own memory where possible. */
  public static void forEachPiece(ByteString data, Sink sink) {
    try {
      UnsafeByteOperations.unsafeWriteTo(
          data,
          new ByteOutput() {
            @Override
            public void write(byte value) throws IOException {
              sink.accept(new byte[] {value}, 0, 1);
            }

            @Override
            public void write(byte[] value, int offset, int length) throws IOException {
              sink.accept(value, offset, length);
            }

            @Override
            public void writeLazy(byte[] value, int offset, int length) throws IOException {
              sink.accept(value, offset, length);
            }

            @Override
            public void write(ByteBuffer value) throws IOException {
              if (value.hasArray()) {
                sink.accept(value.array(), value.arrayOffset() + value.position(), value.remaining());
              } else {
                byte[] copy = new byte[value.remaining()];
                value.get(copy);
                sink.accept(copy, 0, copy.length);
              }
            }

            @Override
            public void writeLazy(ByteBuffer value) throws IOException {
              write(value);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CRC32C of {@code data}. */
  public static int crc32c(ByteString data) {
    CRC32C crc = new CRC32C();
    for (ByteBuffer piece : data.asReadOnlyByteBufferList()) {
      crc.update(piece); // heap or direct, where it lies
    }
    return (int) crc.getValue();
  }
}
