package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.storage.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The secondary's journal of one incoming delta: the chunks as received (header, the blocks of
 * members synced incrementally, commit), length-delimited. Its name says how far it got:
 *
 * <ul>
 *   <li>{@code <delta>.partial} while receiving: a restart discards it (and the staged images),
 *       the volume stays at its previous consistent point;
 *   <li>{@code <delta>.pending} once complete, verified and durable: from then on the delta will be
 *       applied, now or by the next start (block writes are idempotent, so re-applying is safe);
 *       it is deleted after the volume metadata records the new sync point.
 * </ul>
 *
 * Members synced in full do not go through the journal: their blocks are staged in a new image
 * file that replaces the volume's image with one rename (see {@link FullStager}).
 */
public final class Journal {

  private final Path partial;
  private final FileOutputStream file;
  private final BufferedOutputStream out;

  private Journal(Path partial, FileOutputStream file) {
    this.partial = partial;
    this.file = file;
    this.out = new BufferedOutputStream(file, 1 << 20);
  }

  public static Path partialPath(Path dir, String deltaId) {
    return dir.resolve(deltaId + ".partial");
  }

  public static Path pendingPath(Path dir, String deltaId) {
    return dir.resolve(deltaId + ".pending");
  }

  /** Starts the journal of a delta with its header. */
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

  public void append(DeltaChunk chunk) {
    try {
      chunk.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal " + partial, e);
    }
  }

  /** Writes the last chunk and makes the whole journal durable. */
  public void seal(DeltaChunk commit) {
    append(commit);
    try {
      out.flush();
      file.getFD().sync();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync journal " + partial, e);
    }
  }

  /** The point of no return: the delta is complete and verified, it will be applied. */
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
    try (InputStream in = new BufferedInputStream(new FileInputStream(journal.toFile()), 1 << 20)) {
      DeltaChunk chunk;
      while ((chunk = DeltaChunk.parseDelimitedFrom(in)) != null) {
        chunks.accept(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + journal, e);
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
