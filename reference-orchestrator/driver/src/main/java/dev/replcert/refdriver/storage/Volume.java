package dev.replcert.refdriver.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One volume on one site: its blocks ({@code data.img}), changed-block tracking, metadata and
 * locks. Two locks, always taken in this order and, across volumes, in volume-id order:
 *
 * <ul>
 *   <li>the replication lock serialises what changes the replication state: a sync being shipped
 *       or applied, promote, demote, enable, resync. It may be held across network calls.
 *   <li>the I/O lock guards the bytes and bitmaps: every read and write, the freeze of a sync's
 *       point-in-time view, the application of a sync. Never held across network calls.
 * </ul>
 */
public final class Volume {

  private static final Logger LOG = LoggerFactory.getLogger(Volume.class);

  /** Metadata as a sync record writes it: no indentation, so more of it fits a slot. */
  private static final ObjectWriter COMPACT = AtomicFiles.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final MetaSlots slots;
  private final ReentrantLock ioLock = new ReentrantLock();
  private final ReentrantLock replLock = new ReplicationLock(this);
  /** An applied sync's checkpoint not run yet (see {@link Checkpoint}), or null. */
  private final AtomicReference<Checkpoint> checkpoint = new AtomicReference<>();
  private volatile VolumeMeta meta;
  private volatile boolean demoting;
  private VolumeFile file;
  private BlockBitmaps bitmaps;
  private PointInTimeView view;
  private boolean mapsLost;

  private Volume(Path dir, VolumeMeta meta, MetaSlots slots, VolumeFile file, BlockBitmaps bitmaps, boolean mapsLost) {
    this.dir = dir;
    this.slots = slots;
    this.meta = meta;
    this.file = file;
    this.bitmaps = bitmaps;
    this.mapsLost = mapsLost;
  }

  /** Creates the directory, a sparse image of the capacity and the metadata. */
  public static Volume create(Path dir, VolumeMeta meta) {
    AtomicFiles.createDirectories(dir);
    VolumeFile.createSparse(dir.resolve("data.img"), meta.capacityBytes);
    MetaSlots slots = MetaSlots.open(dir.resolve("meta.slots"));
    BlockBitmaps bitmaps = BlockBitmaps.empty(dir.resolve("bitmaps.bin"));
    bitmaps.save();
    AtomicFiles.writeJson(dir.resolve("meta.json"), meta); // last: the volume exists once it is there
    return new Volume(dir, meta, slots, VolumeFile.open(dir.resolve("data.img"), meta.capacityBytes), bitmaps, false);
  }

  /** Loads a volume; after an unclean stop its block maps are rebuilt from the data. */
  public static Volume load(Path dir) {
    VolumeMeta meta = AtomicFiles.readJson(dir.resolve("meta.json"), VolumeMeta.class);
    MetaSlots slots = MetaSlots.open(dir.resolve("meta.slots"));
    VolumeMeta recorded = slots.newest();
    if (recorded != null && recorded.revision > meta.revision) {
      meta = recorded;
    }
    VolumeFile file = VolumeFile.open(dir.resolve("data.img"), meta.capacityBytes);
    BlockBitmaps bitmaps = BlockBitmaps.load(dir.resolve("bitmaps.bin"));
    boolean lost = bitmaps == null;
    if (lost) {
      bitmaps = BlockBitmaps.rebuilt(dir.resolve("bitmaps.bin"), file.scanNonZero());
    }
    return new Volume(dir, meta, slots, file, bitmaps, lost);
  }

  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve("meta.json"));
  }

  public String id() {
    return meta.id;
  }

  public long capacity() {
    return meta.capacityBytes;
  }

  public Path dir() {
    return dir;
  }

  public VolumeMeta meta() {
    return meta;
  }

  /** Copies the metadata, applies {@code edit}, persists the copy, then publishes it. */
  public synchronized VolumeMeta updateMeta(Consumer<VolumeMeta> edit) {
    VolumeMeta next = edited(edit);
    AtomicFiles.writeJson(dir.resolve("meta.json"), next);
    meta = next;
    return next;
  }

  /**
   * Like {@link #updateMeta}, for the change every sync makes (its record on the primary): made
   * durable with one synchronous write into {@code meta.slots} instead of a new meta.json (two
   * fsyncs and a directory sync), then published.
   */
  public synchronized VolumeMeta recordMeta(Consumer<VolumeMeta> edit) {
    VolumeMeta next = edited(edit);
    record(next);
    meta = next;
    return next;
  }

  private VolumeMeta edited(Consumer<VolumeMeta> edit) {
    VolumeMeta next = meta.copy();
    edit.accept(next);
    next.revision = meta.revision + 1;
    return next;
  }

  private void record(VolumeMeta next) {
    byte[] json;
    try {
      json = COMPACT.writeValueAsBytes(next);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the metadata of " + next.id, e);
    }
    if (MetaSlots.fits(json)) {
      slots.write(json);
    } else {
      AtomicFiles.writeJson(dir.resolve("meta.json"), next); // many publications: the slow way
    }
  }

  /**
   * Like {@link #updateMeta} but only publishes the edited copy: for a change that a durable
   * journal already records (a sync point being applied), made durable later by {@link
   * #persistMeta}, before that journal is deleted.
   */
  public synchronized VolumeMeta publishMeta(Consumer<VolumeMeta> edit) {
    VolumeMeta next = edited(edit);
    meta = next;
    return next;
  }

  /** Persists the current metadata. */
  public synchronized void persistMeta() {
    record(meta);
  }

  public ReentrantLock ioLock() {
    return ioLock;
  }

  public ReentrantLock replLock() {
    return replLock;
  }

  /**
   * Runs the checkpoint of the last applied sync if it has not run yet (throws when it fails).
   * Taking the replication lock does this; so does closing.
   */
  public void settle() {
    Checkpoint pending = checkpoint.get();
    if (pending != null) {
      pending.run();
    }
  }

  /** Whether an applied sync still waits for its checkpoint (tests, diagnostics). */
  public boolean checkpointPending() {
    return checkpoint.get() != null;
  }

  void pend(Checkpoint next) {
    Checkpoint previous = checkpoint.getAndSet(next);
    if (previous != null && !previous.done()) {
      throw new IllegalStateException("volume " + id() + " still has a checkpoint pending");
    }
  }

  void settled(Checkpoint done) {
    checkpoint.compareAndSet(done, null);
  }

  /** A demote in progress: new writes are refused so its final sync is the last word. */
  public boolean demoting() {
    return demoting;
  }

  public void setDemoting(boolean demoting) {
    this.demoting = demoting;
  }

  // ------------------------------------------------------------------ data path

  /** Reads under the I/O lock after {@code check} (run under the lock) accepted the access. */
  public byte[] read(long offset, int length, Runnable check) {
    byte[] data = new byte[length];
    ioLock.lock();
    try {
      check.run();
      file.read(offset, data, 0, length);
    } finally {
      ioLock.unlock();
    }
    return data;
  }

  /**
   * Writes under the I/O lock after {@code check} (run under the lock, so a concurrent demote
   * either sees the write done or the write sees the volume demoted) accepted the access.
   */
  public void write(long offset, byte[] data, Runnable check) {
    if (data.length == 0) {
      ioLock.lock();
      try {
        check.run();
      } finally {
        ioLock.unlock();
      }
      return;
    }
    int first = Blocks.first(offset);
    int last = Blocks.last(offset, data.length);
    ioLock.lock();
    try {
      check.run();
      preserveForView(first, last);
      bitmaps.markWritten(first, last);
      file.write(offset, data, 0, data.length);
    } finally {
      ioLock.unlock();
    }
  }

  /** Makes written data durable, and the block maps with it. */
  public void flush() {
    ioLock.lock();
    try {
      file.force();
      bitmaps.save();
    } finally {
      ioLock.unlock();
    }
  }

  private void preserveForView(int first, int last) {
    if (view == null) {
      return;
    }
    for (int b = view.unread.nextSetBit(first); b >= 0 && b <= last; b = view.unread.nextSetBit(b + 1)) {
      if (!view.preserved.containsKey(b)) {
        byte[] old = new byte[Blocks.length(capacity(), b)];
        file.read(Blocks.offset(b), old, 0, old.length);
        view.preserved.put(b, old);
      }
    }
  }

  // ------------------------------------------------------------------ sync source (primary)

  /**
   * Freezes the changed blocks (or, {@code full}, every allocated block) into a point-in-time view
   * and starts a new changed-block map. The caller holds the I/O lock (of every group member, so
   * the members freeze at one instant).
   */
  public PointInTimeView freeze(boolean full, Instant time) {
    if (!ioLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("freeze needs the I/O lock");
    }
    if (view != null) {
      throw new IllegalStateException("volume " + id() + " already has a sync in flight");
    }
    FileChannel source = file.openReader();
    BitSet blocks = (BitSet) (full ? bitmaps.allocated : bitmaps.dirty).clone();
    // the saved maps stay valid (no changing()): moving blocks from dirty to in flight, and later
    // dropping acknowledged ones, leaves them a superset of what must ship, and a restart that
    // ships a block twice is harmless; this keeps a file deletion out of every sync
    bitmaps.dirty.clear();
    bitmaps.inflight = (BitSet) blocks.clone();
    view = new PointInTimeView(blocks, time, full, source);
    return view;
  }

  /**
   * Reads {@code count} consecutive blocks of the view into {@code into} from index {@code at} on,
   * as they were at the freeze.
   */
  public void readView(PointInTimeView v, int first, int count, ByteBuffer into, int at) {
    int length = (int) Math.min((long) count * Blocks.SIZE, capacity() - Blocks.offset(first));
    ioLock.lock();
    try {
      VolumeFile.readFully(v.source, Blocks.offset(first), into.slice(at, length));
      for (int b = first; b < first + count; b++) {
        byte[] old = v.preserved.remove(b);
        if (old != null) {
          into.put(at + (b - first) * Blocks.SIZE, old);
        }
      }
      v.unread.clear(first, first + count);
    } finally {
      ioLock.unlock();
    }
  }

  /** Ends the view's sync; unacknowledged blocks go back into the changed-block map. */
  public void finishView(PointInTimeView v, boolean acknowledged) {
    ioLock.lock();
    try {
      if (view != v) {
        return;
      }
      if (!acknowledged) {
        bitmaps.dirty.or(v.blocks());
      } else if (v.full()) {
        mapsLost = false;
      }
      bitmaps.inflight = null;
      view = null;
      VolumeFile.closeQuietly(v.source);
    } finally {
      ioLock.unlock();
    }
  }

  /**
   * The block maps were lost in an unclean stop: the changed blocks are unknown, so the next sync
   * must be full.
   */
  public boolean mapsLost() {
    return mapsLost;
  }

  /** Number of changed blocks not shipped yet (tests, diagnostics). */
  public int dirtyBlocks() {
    ioLock.lock();
    try {
      return bitmaps.dirty.cardinality();
    } finally {
      ioLock.unlock();
    }
  }

  // ------------------------------------------------------------------ sync target (secondary)

  /** Writes one block of an incoming sync (null = zeros). The caller holds the I/O lock. */
  public void applyBlock(int index, ByteString data) {
    bitmaps.changing();
    if (data == null) {
      file.zeroBlock(index);
      bitmaps.allocated.clear(index);
    } else {
      file.write(Blocks.offset(index), data);
      bitmaps.allocated.set(index);
    }
  }

  /** Makes applied blocks durable. */
  public void force() {
    ioLock.lock();
    try {
      file.force();
    } finally {
      ioLock.unlock();
    }
  }

  /**
   * Replaces the whole image by {@code staging} (a durable file of the capacity) with one atomic
   * rename: the volume switches from its old content to the new one at once. The caller holds the
   * I/O lock. A view in flight is dropped (its blocks count as changed).
   */
  public void replaceImage(Path staging, BitSet allocated) {
    file.close();
    AtomicFiles.move(staging, dir.resolve("data.img"));
    file = VolumeFile.open(dir.resolve("data.img"), capacity());
    BlockBitmaps next = BlockBitmaps.empty(dir.resolve("bitmaps.bin"));
    next.allocated.or(allocated);
    bitmaps.changing();
    bitmaps = next;
    bitmaps.save();
    if (view != null) {
      VolumeFile.closeQuietly(view.source);
      view = null;
    }
    mapsLost = false;
  }

  /** Where an incoming full sync stages the new image (same directory: the rename is atomic). */
  public Path stagingPath(String deltaId) {
    return dir.resolve("staging-" + deltaId + ".img");
  }

  /** A sparse point-in-time copy of the allocated blocks (snapshots, defect keeps). */
  public BitSet copyTo(Path target) {
    ioLock.lock();
    try {
      VolumeFile.createSparse(target, capacity());
      BitSet allocated = (BitSet) bitmaps.allocated.clone();
      byte[] buffer = new byte[Blocks.SIZE];
      try (VolumeFile copy = VolumeFile.open(target, capacity())) {
        for (int b = allocated.nextSetBit(0); b >= 0; b = allocated.nextSetBit(b + 1)) {
          int length = Blocks.length(capacity(), b);
          file.read(Blocks.offset(b), buffer, 0, length);
          copy.write(Blocks.offset(b), buffer, 0, length);
        }
        copy.force();
      }
      return allocated;
    } finally {
      ioLock.unlock();
    }
  }

  /** Blocks that may hold data (a copy). */
  public BitSet allocated() {
    ioLock.lock();
    try {
      return (BitSet) bitmaps.allocated.clone();
    } finally {
      ioLock.unlock();
    }
  }

  /**
   * Runs a pending checkpoint, saves the block maps and closes the image; the volume stays on disk.
   * A checkpoint that fails here is left to the restart (its journal is re-applied).
   */
  public void close() {
    try {
      settle();
    } catch (RuntimeException e) {
      LOG.warn("volume {}: checkpoint failed at close; the next start re-applies its sync", id(), e);
    }
    ioLock.lock();
    try {
      if (view != null) {
        finishView(view, false);
      }
      file.force();
      bitmaps.save();
      file.close();
      slots.close();
    } finally {
      ioLock.unlock();
    }
  }
}
