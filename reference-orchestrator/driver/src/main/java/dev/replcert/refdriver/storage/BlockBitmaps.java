package dev.replcert.refdriver.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Changed-block tracking of one volume: {@code dirty} = written since the last shipped sync,
 * {@code allocated} = may hold non-zero data, {@code inflight} = taken by a sync not acknowledged
 * yet (ORed back into dirty if it fails). Guarded by the volume's I/O lock.
 *
 * <p>Persistence without a write per I/O: the maps are saved on flush and close, and the saved
 * file is deleted at the first change after that. A restart that finds no file knows the maps are
 * lost (the site stopped uncleanly) and rebuilds them conservatively.
 */
final class BlockBitmaps {

  private static final int MAGIC = 0x52424d31; // "RBM1"

  final BitSet dirty;
  final BitSet allocated;
  BitSet inflight;
  private final Path file;
  private boolean saved;

  private BlockBitmaps(Path file, BitSet dirty, BitSet allocated, boolean saved) {
    this.file = file;
    this.dirty = dirty;
    this.allocated = allocated;
    this.saved = saved;
  }

  static BlockBitmaps empty(Path file) {
    return new BlockBitmaps(file, new BitSet(), new BitSet(), false);
  }

  /** The saved maps, or null when there are none (never saved, or changed since: unclean stop). */
  static BlockBitmaps load(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      if (in.readInt() != MAGIC) {
        return null;
      }
      BitSet dirty = BitSet.valueOf(in.readNBytes(in.readInt()));
      BitSet allocated = BitSet.valueOf(in.readNBytes(in.readInt()));
      return new BlockBitmaps(file, dirty, allocated, true);
    } catch (IOException e) {
      return null;
    }
  }

  /** Rebuilt after an unclean stop: every non-zero block counts as allocated and changed. */
  static BlockBitmaps rebuilt(Path file, BitSet nonZero) {
    return new BlockBitmaps(file, (BitSet) nonZero.clone(), nonZero, false);
  }

  /** Called before any change: the saved file no longer describes the volume. */
  void changing() {
    if (saved) {
      AtomicFiles.deleteIfExists(file);
      saved = false;
    }
  }

  void markWritten(int first, int last) {
    changing();
    dirty.set(first, last + 1);
    allocated.set(first, last + 1);
  }

  void save() {
    BitSet pendingShip = (BitSet) dirty.clone();
    if (inflight != null) {
      pendingShip.or(inflight);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      byte[] d = pendingShip.toByteArray();
      out.writeInt(d.length);
      out.write(d);
      byte[] a = allocated.toByteArray();
      out.writeInt(a.length);
      out.write(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.write(file, bytes.toByteArray());
    saved = true;
  }
}
