package dev.replcert.refdriver.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The cheap way to make a volume's metadata durable once per sync ({@code meta.slots}): two fixed
 * slots of {@link #SLOT} bytes, overwritten in turn, each holding {@code magic, length, CRC32C,
 * JSON}. A record is one aligned write through a file opened for synchronous data writes (one
 * device flush; the file's size and blocks never change, so no file-system journal commit, no
 * rename and no directory sync as {@link AtomicFiles#write} needs). The slot written is never the
 * one holding the newest valid record, so a write torn by a crash fails its checksum and the
 * previous record still stands. {@code meta.json} stays the place of every other change; loading
 * takes whichever of the three holds the highest {@link VolumeMeta#revision}.
 *
 * <p>Classic {@link RandomAccessFile} ("rwd") on purpose: an interrupt of the recording thread does
 * not close it (a FileChannel would be closed for every later record).
 */
final class MetaSlots implements Closeable {

  static final int SLOT = 4096;
  private static final int MAGIC = 0x524d5331; // "RMS1"
  private static final int HEAD = 12;

  private final Path path;
  private final RandomAccessFile file;
  private final byte[] buffer = new byte[SLOT];
  /** The slot the next record goes to: not the one holding the newest valid record. */
  private int next;

  private MetaSlots(Path path, RandomAccessFile file, int next) {
    this.path = path;
    this.file = file;
    this.next = next;
  }

  /**
   * Opens the slots of a volume, creating them (zeroed, durable, directory entry included) when
   * missing: creation happens with the volume or at the first load by a version without them,
   * never during a sync.
   */
  static MetaSlots open(Path path) {
    try {
      if (!Files.exists(path)) {
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try (RandomAccessFile create = new RandomAccessFile(temp.toFile(), "rw")) {
          create.setLength(0);
          create.write(new byte[2 * SLOT]); // written, not sparse: overwrites allocate nothing
          create.getFD().sync();
        }
        AtomicFiles.move(temp, path);
      }
      RandomAccessFile file = new RandomAccessFile(path.toFile(), "rwd");
      MetaSlots slots = new MetaSlots(path, file, 0);
      int newest = slots.newestSlot();
      slots.next = newest < 0 ? 0 : 1 - newest;
      return slots;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path, e);
    }
  }

  /** Whether {@code json} fits a slot (larger metadata goes to meta.json only). */
  static boolean fits(byte[] json) {
    return json.length <= SLOT - HEAD;
  }

  /** Makes {@code json} (that fits) durable in the older slot. */
  synchronized void write(byte[] json) {
    CRC32C crc = new CRC32C();
    crc.update(json);
    ByteBuffer.wrap(buffer).putInt(MAGIC).putInt(json.length).putInt((int) crc.getValue()).put(json);
    Arrays.fill(buffer, HEAD + json.length, SLOT, (byte) 0);
    try {
      file.seek((long) next * SLOT);
      file.write(buffer); // "rwd": returns once the data is on stable storage
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e); // same slot next time: the other one stands
    }
    next = 1 - next;
  }

  /** The newest valid record, or null when neither slot holds one. */
  synchronized VolumeMeta newest() {
    int slot = newestSlot();
    return slot < 0 ? null : read(slot);
  }

  private int newestSlot() {
    int newest = -1;
    long revision = Long.MIN_VALUE;
    for (int slot = 0; slot < 2; slot++) {
      VolumeMeta meta = read(slot);
      if (meta != null && meta.revision > revision) {
        newest = slot;
        revision = meta.revision;
      }
    }
    return newest;
  }

  private VolumeMeta read(int slot) {
    byte[] bytes = new byte[SLOT];
    try {
      file.seek((long) slot * SLOT);
      file.readFully(bytes);
    } catch (IOException e) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int length = in.getInt(4);
    if (in.getInt(0) != MAGIC || length < 0 || length > SLOT - HEAD) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEAD, length);
    if ((int) crc.getValue() != in.getInt(8)) {
      return null; // torn by a crash
    }
    try {
      return AtomicFiles.JSON.readValue(bytes, HEAD, length, VolumeMeta.class);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      // read-only from here: every record was durable when written
    }
  }
}
