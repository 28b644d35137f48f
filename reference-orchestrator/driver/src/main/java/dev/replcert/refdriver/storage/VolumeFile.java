package dev.replcert.refdriver.storage;

import com.google.protobuf.ByteString;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The bytes of a volume: a sparse file of exactly its capacity. Classic {@link RandomAccessFile}
 * I/O on purpose: unlike a FileChannel it is not closed when the calling thread is interrupted (the
 * gRPC layer interrupts stuck handlers), so one cancelled call cannot break the volume for all.
 * Not thread-safe (seek + read); {@link Volume} guards it with the volume's I/O lock.
 */
public final class VolumeFile implements Closeable {

  private final Path path;
  private final long capacity;
  private final RandomAccessFile file;

  private VolumeFile(Path path, long capacity, RandomAccessFile file) {
    this.path = path;
    this.capacity = capacity;
    this.file = file;
  }

  /** Creates (or truncates) a sparse file of {@code capacity} bytes: no block is allocated yet. */
  public static void createSparse(Path path, long capacity) {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(0);
      file.setLength(capacity);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  public static VolumeFile open(Path path, long capacity) {
    try {
      return new VolumeFile(path, capacity, new RandomAccessFile(path.toFile(), "rw"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path, e);
    }
  }

  public Path path() {
    return path;
  }

  /** Fills {@code into[from, from+length)} from {@code offset}; bytes past the end read as zeros. */
  public void read(long offset, byte[] into, int from, int length) {
    try {
      file.seek(offset);
      int done = 0;
      while (done < length) {
        int n = file.read(into, from + done, length - done);
        if (n < 0) {
          Arrays.fill(into, from + done, from + length, (byte) 0);
          return;
        }
        done += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  public void write(long offset, byte[] from, int at, int length) {
    try {
      file.seek(offset);
      file.write(from, at, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Writes received bytes at {@code offset} straight from the message's memory. */
  public void write(long offset, ByteString data) {
    try {
      file.seek(offset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seek " + path, e);
    }
    ByteStrings.forEachPiece(data, file::write);
  }

  /**
   * Writes {@code buffers} one after the other from {@code offset}, with one system call for as
   * many as it takes. Goes through the file's channel, which an interrupt of the writing thread
   * closes: only for a file written by one dedicated thread (a staged image), never a live volume.
   */
  public void write(long offset, ByteBuffer[] buffers) {
    try {
      FileChannel channel = file.getChannel();
      long position = offset;
      int first = 0;
      while (first < buffers.length) {
        channel.position(position);
        position += channel.write(buffers, first, buffers.length - first);
        while (first < buffers.length && !buffers[first].hasRemaining()) {
          first++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** A read-only channel of its own on the same image (see {@link PointInTimeView#source}). */
  FileChannel openReader() {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path, e);
    }
  }

  /** Fills {@code into} from {@code offset} of {@code channel}; bytes past the end read as zeros. */
  static void readFully(FileChannel channel, long offset, ByteBuffer into) {
    try {
      long position = offset;
      while (into.hasRemaining()) {
        int n = channel.read(into, position);
        if (n < 0) {
          while (into.hasRemaining()) {
            into.put((byte) 0);
          }
          return;
        }
        position += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a view of " + channel, e);
    }
  }

  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing is lost
    }
  }

  /** Writes zeros over block {@code index}. */
  public void zeroBlock(int index) {
    write(Blocks.offset(index), Blocks.ZEROS, 0, Blocks.length(capacity, index));
  }

  public void force() {
    try {
      file.getFD().sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + path, e);
    }
  }

  /** The blocks holding a non-zero byte: rebuilds the allocation map after an unclean stop. */
  public BitSet scanNonZero() {
    BitSet nonZero = new BitSet();
    int chunkBlocks = 16;
    byte[] buffer = new byte[chunkBlocks * Blocks.SIZE];
    int blocks = Blocks.count(capacity);
    for (int first = 0; first < blocks; first += chunkBlocks) {
      int count = Math.min(chunkBlocks, blocks - first);
      long length = Math.min((long) count * Blocks.SIZE, capacity - Blocks.offset(first));
      read(Blocks.offset(first), buffer, 0, (int) length);
      for (int i = 0; i < count; i++) {
        if (!Blocks.isZero(buffer, i * Blocks.SIZE, Blocks.length(capacity, first + i))) {
          nonZero.set(first + i);
        }
      }
    }
    return nonZero;
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path, e);
    }
  }
}
