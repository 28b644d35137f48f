package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.SiteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This site's reused journal files ({@link JournalSlot}), one per incremental sync being received
 * or applied and not checkpointed yet. Syncs take the lowest-numbered free slot, so one slot (whose
 * blocks are allocated already) serves them all unless several arrive at once; a slot goes back to
 * the pool when its sync's checkpoint has run or its sync was discarded.
 */
final class JournalSlots implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("slot-([0-9]{1,6})\\.journal");

  private final Path dir;
  private final Executor entrySyncer;
  private final List<JournalSlot> free = new ArrayList<>();
  private final List<Integer> taken = new ArrayList<>();
  private boolean closed;

  /**
   * The slots under {@code store} (recovered already, see {@link SlotRecovery}).
   *
   * @param entrySyncer makes a new slot's directory entry durable while its sync arrives
   */
  JournalSlots(SiteStore store, Executor entrySyncer) {
    this.dir = dir(store);
    this.entrySyncer = entrySyncer;
    for (Path file : files(dir)) {
      free.add(JournalSlot.open(file, number(file), CompletableFuture.completedFuture(null)));
    }
  }

  static Path dir(SiteStore store) {
    return JournalSlot.path(store.root(), 0).getParent();
  }

  /** The slot files in {@code dir}, by number (the directory is created when missing). */
  static List<Path> files(Path dir) {
    AtomicFiles.createDirectories(dir);
    try (var entries = Files.list(dir)) {
      return entries
          .filter(f -> NAME.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(JournalSlots::number))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static int number(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    return Integer.parseInt(m.group(1));
  }

  /** The lowest-numbered free slot, or a new one. */
  synchronized JournalSlot acquire() {
    if (closed) {
      throw new IllegalStateException("closing");
    }
    JournalSlot slot;
    if (!free.isEmpty()) {
      slot = free.remove(0);
      if (!slot.usable()) {
        slot.reopen();
      }
    } else {
      int number = 0;
      while (taken.contains(number)) {
        number++;
      }
      slot = JournalSlot.open(JournalSlot.path(dir.getParent(), number), number, durableEntry());
    }
    taken.add(slot.number());
    return slot;
  }

  private CompletableFuture<Void> durableEntry() {
    try {
      return CompletableFuture.runAsync(() -> AtomicFiles.fsyncDirectory(dir), entrySyncer);
    } catch (RejectedExecutionException e) {
      AtomicFiles.fsyncDirectory(dir); // closing: do it here
      return CompletableFuture.completedFuture(null);
    }
  }

  /** Gives a slot back (its sync checkpointed or discarded). */
  synchronized void release(JournalSlot slot) {
    taken.remove(Integer.valueOf(slot.number()));
    if (closed) {
      slot.close();
      return;
    }
    free.add(slot);
    free.sort(Comparator.comparingInt(JournalSlot::number));
  }

  /** Slots in use by a sync (tests, diagnostics). */
  synchronized int inUse() {
    return taken.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    free.forEach(JournalSlot::close);
    free.clear();
  }
}
