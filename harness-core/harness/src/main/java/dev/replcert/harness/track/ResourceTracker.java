package dev.replcert.harness.track;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every resource a test creates is registered here right after it is created, with the action
 * that removes it. {@link #cleanUp()} undoes them last-created-first (a pod goes before its
 * volume, a volume before its class), tries every one even when some fail, and reports all
 * failures together. Tolerating "already gone" is the cleanup action's job: only it knows what
 * "not found" looks like for its resource.
 */
public final class ResourceTracker {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceTracker.class);

  private record Entry(String description, Cleanup cleanup) {}

  private final String scope;
  private final Deque<Entry> entries = new ArrayDeque<>();

  public ResourceTracker(String scope) {
    this.scope = scope;
  }

  /** Registers a created resource; returns it so creation and registration read as one step. */
  public synchronized <T> T track(String description, T resource, Cleanup cleanup) {
    entries.push(new Entry(description, cleanup));
    LOG.debug("[{}] tracking {}", scope, description);
    return resource;
  }

  /** Registers an action to undo at cleanup time (e.g. bring a site back up). */
  public synchronized void track(String description, Cleanup cleanup) {
    track(description, null, cleanup);
  }

  /** Descriptions of what is tracked, in cleanup order (newest first). */
  public synchronized List<String> tracked() {
    return entries.stream().map(Entry::description).toList();
  }

  /**
   * Runs every cleanup, newest first, and forgets them.
   *
   * @throws CleanupFailedException naming every resource whose cleanup failed
   */
  public void cleanUp() {
    List<Entry> toClean;
    synchronized (this) {
      toClean = new ArrayList<>(entries);
      entries.clear();
    }
    List<String> failed = new ArrayList<>();
    List<Throwable> causes = new ArrayList<>();
    for (Entry entry : toClean) {
      try {
        entry.cleanup().run();
        LOG.debug("[{}] cleaned up {}", scope, entry.description());
      } catch (Exception | AssertionError e) {
        failed.add(entry.description() + " (" + e + ")");
        causes.add(e);
        if (e instanceof AssertionError) {
          LOG.warn("[{}] cleanup of {} failed: {}", scope, entry.description(), e.toString());
        } else {
          // not a wait that timed out: where it came from is what the reader needs
          LOG.warn("[{}] cleanup of {} failed", scope, entry.description(), e);
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new CleanupFailedException(failed, causes);
    }
  }

  /** Forgets everything without cleaning it (keep-on-failure); returns what was left behind. */
  public synchronized List<String> abandon() {
    List<String> left = tracked();
    entries.clear();
    return left;
  }

  @Override
  public String toString() {
    return "ResourceTracker[" + scope + ", " + entries.size() + " tracked]";
  }
}
