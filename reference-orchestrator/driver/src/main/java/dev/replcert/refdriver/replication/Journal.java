package dev.replcert.refdriver.replication;

import com.google.protobuf.ByteString;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DeltaCommit;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.ByteStrings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The secondary's journal of one incoming delta with a full member (an all-incremental delta goes
 * to a reused {@link JournalSlot} instead): the chunks as received (header, the blocks of members
 * synced incrementally, commit), length-delimited. What it says depends on how far it got:
 *
 * <ul>
 *   <li>{@code <delta>.partial} without its commit record (still receiving, or cut short): a
 *       restart discards it (and the staged images), the volume stays at its previous consistent
 *       point;
 *   <li>with its commit record, written and synced only once the delta is complete, verified and
 *       admitted ({@link #commit}): from then on the delta will be applied, now or by the next start
 *       (block writes are idempotent, so re-applying is safe). One fsync makes the blocks and the
 *       commit durable together; a restart that finds the commit therefore re-reads the whole
 *       journal and checks every block's CRC32C and the commit's counts, so a journal torn by a
 *       crash during that fsync is discarded, never applied. The journal's directory entry was
 *       made durable when it was created. It is deleted once the applied blocks and the volume
 *       metadata are durable;
 *   <li>{@code <delta>.pending}: the same as committed (the name an older version gave it).
 * </ul>
 *
 * Members synced in full do not go through the journal: their blocks are staged in a new image
 * file that replaces the volume's image with one rename (see {@link FullStager}).
 *
 * <p>The chunks of a small journal are also kept in memory (copied: a received chunk's data is
 * only valid while it is being handled), so applying it does not read the file back.
 */
public final class Journal {

  /** Journals up to this many block bytes are applied from memory. */
  static final long KEEP_BYTES = 64L << 20;

  /**
   * Buffer size for reading and writing journals: large enough for few system calls, small enough
   * not to be a "humongous" allocation for the garbage collector (one per sync adds up).
   */
  private static final int BUFFER = 256 << 10;

  private final Path partial;
  private final FileOutputStream file;
  private final BufferedOutputStream out;
  private List<DeltaChunk> kept = new ArrayList<>();
  private long keptBytes;

  private Journal(Path partial, FileOutputStream file) {
    this.partial = partial;
    this.file = file;
    this.out = new BufferedOutputStream(file, BUFFER);
  }

  public static Path partialPath(Path dir, String deltaId) {
    return dir.resolve(deltaId + ".partial");
  }

  public static Path pendingPath(Path dir, String deltaId) {
    return dir.resolve(deltaId + ".pending");
  }

  /**
   * Starts the journal of a delta with its header. The journal's directory entry must be durable
   * before its commit is: call {@link AtomicFiles#fsyncDirectory} on {@code dir} before {@link
   * #commit} (the receiver does it on another thread while blocks arrive).
   */
  public static Journal create(Path dir, DeltaHeader header) {
    Path path = partialPath(dir, header.getDeltaId());
    try {
      Journal journal = new Journal(path, new FileOutputStream(path.toFile()));
      journal.append(DeltaChunk.newBuilder().setHeader(header).build());
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create journal " + path, e);
    }
  }

  public Path path() {
    return partial;
  }

  public void append(DeltaChunk chunk) {
    try {
      chunk.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal " + partial, e);
    }
    if (kept != null && chunk.hasBlocks()) {
      for (Block block : chunk.getBlocks().getBlocksList()) {
        keptBytes += block.getData().size();
      }
      if (keptBytes > KEEP_BYTES) {
        kept = null; // too large to hold: applied from the file
      } else {
        kept.add(detached(chunk));
      }
    }
  }

  /** A copy of a block chunk that owns its data (a received chunk's data is only lent to it). */
  private static DeltaChunk detached(DeltaChunk chunk) {
    BlockBatch.Builder batch = chunk.getBlocks().toBuilder();
    for (int i = 0; i < batch.getBlocksCount(); i++) {
      Block block = batch.getBlocks(i);
      if (!block.getData().isEmpty()) {
        batch.setBlocks(i, block.toBuilder().setData(ByteString.copyFrom(block.getData().asReadOnlyByteBuffer())));
      }
    }
    return DeltaChunk.newBuilder().setBlocks(batch).build();
  }

  /** Hands the buffered chunks to the file system (not durable yet). */
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal " + partial, e);
    }
  }

  /**
   * The point of no return: appends the commit record and makes the whole journal durable with one
   * fsync. From here on the delta will be applied.
   *
   * @return the committed journal's path
   */
  public Path commit(DeltaChunk commit) {
    append(commit);
    try {
      out.flush();
      file.getFD().sync();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync journal " + partial, e);
    }
    return partial;
  }

  /** The block chunks held in memory, in order, or null when the journal was too large to hold. */
  public List<DeltaChunk> kept() {
    return kept;
  }

  /** Writes the last chunk and makes the whole journal durable. */
  public void seal(DeltaChunk commit) {
    commit(commit);
  }

  /** Renames a sealed journal to {@code .pending} (durably). */
  public Path markPending() {
    Path pending = partial.resolveSibling(partial.getFileName().toString().replace(".partial", ".pending"));
    AtomicFiles.move(partial, pending);
    return pending;
  }

  /** Drops a delta that will not be applied. */
  public void discard() {
    try {
      out.close();
    } catch (IOException e) {
      // already failing; the file is removed anyway
    }
    AtomicFiles.deleteIfExists(partial);
  }

  /** Reads a journal back, chunk by chunk. */
  public static void replay(Path journal, Consumer<DeltaChunk> chunks) {
    try (InputStream in = new BufferedInputStream(new FileInputStream(journal.toFile()), BUFFER)) {
      DeltaChunk chunk;
      while ((chunk = DeltaChunk.parseDelimitedFrom(in)) != null) {
        chunks.accept(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + journal, e);
    }
  }

  /**
   * Whether a journal found at start-up is committed and intact: it reads back completely, starts
   * with a header, ends with a commit whose block and byte counts match the blocks it holds, and
   * (unless {@code checkCrcs} is off) every block's data matches its CRC32C.
   */
  public static boolean committed(Path journal, boolean checkCrcs) {
    try (InputStream in = new BufferedInputStream(new FileInputStream(journal.toFile()), BUFFER)) {
      DeltaChunk first = DeltaChunk.parseDelimitedFrom(in);
      if (first == null || !first.hasHeader()) {
        return false;
      }
      long blocks = 0;
      long bytes = 0;
      DeltaCommit commit = null;
      DeltaChunk chunk;
      while ((chunk = DeltaChunk.parseDelimitedFrom(in)) != null) {
        if (commit != null) {
          return false; // nothing follows the commit
        }
        if (chunk.hasCommit()) {
          commit = chunk.getCommit();
        } else if (chunk.hasBlocks()) {
          for (Block block : chunk.getBlocks().getBlocksList()) {
            if (checkCrcs && !block.getZero() && ByteStrings.crc32c(block.getData()) != block.getCrc32C()) {
              return false;
            }
            blocks++;
            bytes += block.getData().size();
          }
        } else {
          return false;
        }
      }
      if (commit == null) {
        return false;
      }
      if (first.getHeader().getVolumesList().stream().noneMatch(v -> v.getFull())) {
        return blocks == commit.getBlockCount() && bytes == commit.getDataBytes();
      }
      // full members' blocks went to staged images: the journal holds the others only
      return blocks <= commit.getBlockCount() && bytes <= commit.getDataBytes();
    } catch (IOException | RuntimeException e) {
      return false; // torn by a crash
    }
  }

  /** The header of a journal, or null when it is unreadable (a torn partial one). */
  public static DeltaHeader header(Path journal) {
    try (InputStream in = Files.newInputStream(journal)) {
      DeltaChunk first = DeltaChunk.parseDelimitedFrom(in);
      return first != null && first.hasHeader() ? first.getHeader() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
