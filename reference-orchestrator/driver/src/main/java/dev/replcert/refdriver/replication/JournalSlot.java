package dev.replcert.refdriver.replication;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.storage.Blocks;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A reused journal file for syncs whose members are all incremental ({@code
 * journal-slots/slot-N.journal}), written from offset 0 for every sync and never truncated: after
 * its first few uses its blocks are allocated, so the one {@code fdatasync} that commits a sync
 * writes data and flushes the device, with no file creation, allocation or directory entry for the
 * file system to make durable (the {@link Journal} it replaces for these syncs cost one of each).
 *
 * <p>The records are the received blocks with a fixed head, written as they arrived with one
 * gathering write per message (no re-encoding): {@code H} (the DeltaHeader), {@code B} per block,
 * {@code C} (the counts). Every record carries the sync's random <em>generation</em> and a CRC32C
 * of its head (a block's data has its own CRC32C): whatever the previous syncs left further in the
 * file, or a crash tore, has another generation or a wrong checksum, so a sync counts as committed
 * only if the file reads back as its header, blocks of its generation with intact data, and its
 * commit record with matching counts. Nothing is durable before {@link #commit} syncs it.
 *
 * <p>A slot is not deleted after its sync was applied: the sync's {@link
 * dev.replcert.refdriver.storage.Checkpoint} makes the volumes' blocks and metadata durable and then
 * blanks the slot's header durably (one small write and flush, off the acknowledged path), so a
 * restart re-applies exactly the committed slots whose checkpoint did not complete ({@link
 * SlotRecovery}). A discarded, never committed sync's slot is blanked without a flush: it would
 * not be applied anyway.
 *
 * <p>Used by one receiving thread at a time (the pool hands it out, {@link JournalSlots}).
 */
public final class JournalSlot implements AutoCloseable {

  static final byte HEADER = 'H';
  static final byte BLOCK = 'B';
  static final byte COMMIT = 'C';

  /** kind, generation, header length, CRC32C (of kind..length and the header). */
  static final int HEADER_HEAD = 1 + 8 + 4 + 4;
  /** kind, generation, volume index, block index, zero flag, data CRC32C, data length, head CRC32C. */
  static final int BLOCK_HEAD = 1 + 8 + 4 + 8 + 1 + 4 + 4 + 4;
  /** kind, generation, block count, data bytes, CRC32C. */
  static final int COMMIT_RECORD = 1 + 8 + 8 + 8 + 4;

  private static final int MAX_HEADER = 16 << 20;
  private static final int READ_BUFFER = 256 << 10;

  private final Path path;
  private final int number;
  private FileChannel channel;
  /** The file's directory entry made durable (a new slot), before a commit may rely on it. */
  private CompletableFuture<Void> entry;
  private long generation;
  private ByteBuffer heads = ByteBuffer.allocateDirect(64 * BLOCK_HEAD);
  private final KeptBlocks kept = new KeptBlocks();

  private JournalSlot(Path path, int number, FileChannel channel, CompletableFuture<Void> entry) {
    this.path = path;
    this.number = number;
    this.channel = channel;
    this.entry = entry;
  }

  /** Slot {@code number}'s file under a site's root directory (tests, diagnostics). */
  public static Path path(Path siteRoot, int number) {
    return siteRoot.resolve("journal-slots").resolve("slot-" + number + ".journal");
  }

  /** Opens (creating when missing) a slot file whose directory entry is durable (tests write crash states). */
  public static JournalSlot open(Path file) {
    return open(file, -1, CompletableFuture.completedFuture(null));
  }

  /** Opens (creating when missing) slot {@code number}; {@code entry} completes once its directory entry is durable. */
  static JournalSlot open(Path path, int number, CompletableFuture<Void> entry) {
    return new JournalSlot(path, number, openChannel(path), entry);
  }

  private static FileChannel openChannel(Path path) {
    try {
      return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open journal slot " + path, e);
    }
  }

  int number() {
    return number;
  }

  Path path() {
    return path;
  }

  /**
   * Whether the file can be written: a FileChannel is closed by an interrupt of the thread using
   * it, so a slot that went through a cancelled call is reopened ({@link #reopen}) before reuse.
   */
  boolean usable() {
    return channel.isOpen();
  }

  /** Reopens a slot whose channel was closed and blanks it durably (what it held is unknown). */
  void reopen() {
    closeQuietly();
    channel = openChannel(path);
    blank(true);
  }

  /** Starts a sync's journal: a new generation, the header at offset 0. */
  public void begin(DeltaHeader header) {
    long g;
    do {
      g = ThreadLocalRandom.current().nextLong();
    } while (g == 0); // a blanked or never written file reads as generation 0
    generation = g;
    kept.reset();
    byte[] body = header.toByteArray();
    ByteBuffer head = ByteBuffer.allocate(HEADER_HEAD).put(HEADER).putLong(generation).putInt(body.length);
    CRC32C crc = new CRC32C();
    crc.update(head.array(), 0, HEADER_HEAD - 4);
    crc.update(body);
    head.putInt((int) crc.getValue()).flip();
    try {
      channel.position(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal slot " + path, e);
    }
    write(head, ByteBuffer.wrap(body));
  }

  /**
   * Appends verified blocks of the sync, their data straight from where the message holds it, and
   * keeps a copy to apply from (a received message's data is only lent to the receiver).
   */
  public void append(List<Block> blocks) {
    int n = blocks.size();
    if (heads.capacity() < n * BLOCK_HEAD) {
      heads = ByteBuffer.allocateDirect(n * BLOCK_HEAD);
    }
    List<ByteBuffer> out = new ArrayList<>(2 * n);
    CRC32C crc = new CRC32C();
    for (int i = 0; i < n; i++) {
      Block block = blocks.get(i);
      int length = block.getZero() ? 0 : block.getData().size();
      ByteBuffer head = heads.slice(i * BLOCK_HEAD, BLOCK_HEAD);
      head.put(BLOCK)
          .putLong(generation)
          .putInt(block.getVolumeIndex())
          .putLong(block.getIndex())
          .put((byte) (block.getZero() ? 1 : 0))
          .putInt(block.getCrc32C())
          .putInt(length);
      crc.reset();
      crc.update(head.slice(0, BLOCK_HEAD - 4));
      head.putInt((int) crc.getValue()).flip();
      out.add(head);
      if (length > 0) {
        out.addAll(block.getData().asReadOnlyByteBufferList());
      }
      kept.add(block);
    }
    write(out.toArray(new ByteBuffer[0]));
  }

  /** Waits until a new slot's directory entry is durable (at once for a slot used before). */
  void awaitEntry() throws InterruptedException {
    try {
      entry.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot sync the journal slot directory", e.getCause());
    }
  }

  /**
   * The point of no return: appends the commit record and makes the whole journal durable with one
   * {@code fdatasync}. From here on the sync will be applied, now or by the next start.
   */
  public void commit(long blockCount, long dataBytes) {
    ByteBuffer record =
        ByteBuffer.allocate(COMMIT_RECORD).put(COMMIT).putLong(generation).putLong(blockCount).putLong(dataBytes);
    CRC32C crc = new CRC32C();
    crc.update(record.array(), 0, COMMIT_RECORD - 4);
    record.putInt((int) crc.getValue()).flip();
    write(record);
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync journal slot " + path, e);
    }
  }

  /** The committed sync's blocks, from memory when they were kept, else read back from the file. */
  DeltaApplier.BlockSource blocks() {
    List<Block> inMemory = kept.blocks();
    if (inMemory != null) {
      return inMemory::forEach;
    }
    return sink -> replay(path, sink);
  }

  /** Feeds a committed slot's blocks to {@code sink}; throws when the file no longer reads as committed. */
  static void replay(Path file, Consumer<Block> sink) {
    if (read(file, false, sink) == null) {
      throw new IllegalStateException("journal slot " + file + " no longer holds a committed sync");
    }
  }

  /**
   * Blanks the header so the file reads as holding nothing; durably or not. Not needed for
   * correctness (see the class comment); an error only makes the slot reopen before its next use.
   */
  void blank(boolean durable) {
    try {
      channel.write(ByteBuffer.allocate(HEADER_HEAD), 0);
      if (durable) {
        channel.force(false);
      }
    } catch (IOException e) {
      if (durable) {
        throw new UncheckedIOException("cannot blank journal slot " + path, e);
      }
      closeQuietly(); // reopened (and blanked durably) before the next use
    }
    kept.reset();
  }

  private void write(ByteBuffer... buffers) {
    try {
      int first = 0;
      while (first < buffers.length) {
        channel.write(buffers, first, buffers.length - first);
        while (first < buffers.length && !buffers[first].hasRemaining()) {
          first++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal slot " + path, e);
    }
  }

  private void closeQuietly() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }

  // ------------------------------------------------------------------ reading back

  /**
   * Reads a slot file: the header of the sync it holds when that sync is committed and intact
   * (its generation throughout, every head's checksum, with {@code checkCrcs} every block's data
   * checksum, and a commit whose counts match), else null. Feeds the blocks to {@code sink} (may
   * be null) as they are read: call it with a sink only for a file already found committed.
   */
  public static DeltaHeader read(Path file, boolean checkCrcs, Consumer<Block> sink) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), READ_BUFFER))) {
      ByteBuffer head = ByteBuffer.wrap(in.readNBytes(HEADER_HEAD));
      if (head.limit() < HEADER_HEAD || head.get() != HEADER) {
        return null;
      }
      long generation = head.getLong();
      int length = head.getInt();
      if (generation == 0 || length < 0 || length > MAX_HEADER) {
        return null;
      }
      byte[] body = in.readNBytes(length);
      CRC32C crc = new CRC32C();
      crc.update(head.array(), 0, HEADER_HEAD - 4);
      crc.update(body);
      if (body.length != length || (int) crc.getValue() != head.getInt()) {
        return null;
      }
      DeltaHeader header = DeltaHeader.parseFrom(body);
      long blocks = 0;
      long bytes = 0;
      byte[] blockHead = new byte[BLOCK_HEAD];
      while (true) {
        int kind = in.read();
        if (kind == BLOCK) {
          blockHead[0] = BLOCK;
          in.readFully(blockHead, 1, BLOCK_HEAD - 1);
          Block block = block(blockHead, generation, header, in, checkCrcs);
          if (block == null) {
            return null;
          }
          blocks++;
          bytes += block.getData().size();
          if (sink != null) {
            sink.accept(block);
          }
        } else if (kind == COMMIT) {
          byte[] record = new byte[COMMIT_RECORD];
          record[0] = COMMIT;
          in.readFully(record, 1, COMMIT_RECORD - 1);
          ByteBuffer commit = ByteBuffer.wrap(record, 1, COMMIT_RECORD - 1);
          crc.reset();
          crc.update(record, 0, COMMIT_RECORD - 4);
          boolean intact =
              commit.getLong() == generation
                  && commit.getLong() == blocks
                  && commit.getLong() == bytes
                  && commit.getInt() == (int) crc.getValue();
          return intact ? header : null;
        } else {
          return null; // the end of what this sync wrote before a crash, or a blanked header
        }
      }
    } catch (EOFException e) {
      return null; // torn
    } catch (IOException e) {
      if (Files.exists(file)) {
        throw new UncheckedIOException("cannot read journal slot " + file, e);
      }
      return null;
    }
  }

  /** One block record (its head read into {@code head}), or null when it is not intact or not this sync's. */
  private static Block block(byte[] head, long generation, DeltaHeader header, DataInputStream in, boolean checkCrcs)
      throws IOException {
    ByteBuffer h = ByteBuffer.wrap(head, 1, BLOCK_HEAD - 1);
    long g = h.getLong();
    int volume = h.getInt();
    long index = h.getLong();
    boolean zero = h.get() != 0;
    int dataCrc = h.getInt();
    int length = h.getInt();
    CRC32C crc = new CRC32C();
    crc.update(head, 0, BLOCK_HEAD - 4);
    if (g != generation || h.getInt() != (int) crc.getValue()) {
      return null;
    }
    if (volume < 0 || volume >= header.getVolumesCount() || index < 0 || length < 0 || length > Blocks.SIZE) {
      return null;
    }
    byte[] data = in.readNBytes(length);
    if (data.length != length) {
      return null;
    }
    if (checkCrcs && !zero) {
      crc.reset();
      crc.update(data);
      if ((int) crc.getValue() != dataCrc) {
        return null;
      }
    }
    return Block.newBuilder()
        .setVolumeIndex(volume)
        .setIndex(index)
        .setZero(zero)
        .setCrc32C(dataCrc)
        .setData(UnsafeByteOperations.unsafeWrap(data))
        .build();
  }

  // ------------------------------------------------------------------ the copy applied from

  /**
   * Copies of the current sync's blocks in memory (up to {@link Journal#KEEP_BYTES}; beyond that
   * the committed sync is applied from the file), in chunks reused by the slot's next syncs so a
   * sync allocates nothing for them.
   */
  private static final class KeptBlocks {
    private static final int CHUNK = 1 << 20;
    /** Chunks kept for the next sync: enough for a few hundred changed blocks. */
    private static final int RETAIN = 16;

    private final List<byte[]> chunks = new ArrayList<>();
    private List<Block> blocks = new ArrayList<>();
    private long bytes;
    private int chunk;
    private int used;

    void add(Block block) {
      if (blocks == null) {
        return;
      }
      int n = block.getZero() ? 0 : block.getData().size();
      bytes += n;
      if (bytes > Journal.KEEP_BYTES) {
        blocks = null; // too large to hold: applied from the file
        return;
      }
      blocks.add(n == 0 ? block : block.toBuilder().setData(copy(block.getData())).build());
    }

    private ByteString copy(ByteString data) {
      int n = data.size();
      byte[] current = chunk < chunks.size() ? chunks.get(chunk) : null;
      if (current == null || used + n > current.length) {
        if (current != null) {
          chunk++;
        }
        used = 0;
        if (chunk == chunks.size()) {
          chunks.add(new byte[Math.max(CHUNK, n)]);
        }
        current = chunks.get(chunk);
      }
      data.copyTo(current, used);
      ByteString copy = UnsafeByteOperations.unsafeWrap(current, used, n);
      used += n;
      return copy;
    }

    List<Block> blocks() {
      return blocks;
    }

    void reset() {
      blocks = new ArrayList<>();
      bytes = 0;
      chunk = 0;
      used = 0;
      while (chunks.size() > RETAIN) {
        chunks.remove(chunks.size() - 1);
      }
    }
  }
}
