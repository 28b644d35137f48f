package dev.replcert.refdriver.storage;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Everything a site keeps under its root directory:
 *
 * <pre>
 * site.json                     fences
 * volumes/&lt;id&gt;/meta.json, meta.slots, data.img, bitmaps.bin
 * groups/&lt;id&gt;.json
 * snapshots/&lt;id&gt;.json, &lt;id&gt;.img
 * journal/&lt;delta&gt;.partial|.pending   incoming syncs with a full member being staged / applied
 * journal-slots/slot-N.journal         reused journals of incremental syncs (replication.JournalSlot)
 * </pre>
 *
 * Lookups are lock-free; creations and deletions are serialised here.
 */
public final class SiteStore {

  private final Path root;
  private final Map<String, Volume> volumes = new ConcurrentHashMap<>();
  private final Map<String, GroupMeta> groups = new ConcurrentHashMap<>();
  private volatile SiteState state;

  private SiteStore(Path root, SiteState state) {
    this.root = root;
    this.state = state;
  }

  /** Opens (creating if needed) the site root and loads every volume and group. */
  public static SiteStore open(Path root) {
    for (String dir : List.of("volumes", "groups", "snapshots", "journal")) {
      AtomicFiles.createDirectories(root.resolve(dir));
    }
    Path stateFile = root.resolve("site.json");
    SiteState state = Files.exists(stateFile) ? AtomicFiles.readJson(stateFile, SiteState.class) : SiteState.empty();
    SiteStore store = new SiteStore(root, state);
    for (Path dir : list(root.resolve("volumes"))) {
      if (Volume.exists(dir)) {
        Volume volume = Volume.load(dir);
        store.volumes.put(volume.id(), volume);
      } else {
        AtomicFiles.deleteTree(dir); // a creation that never finished
      }
    }
    for (Path file : list(root.resolve("groups"))) {
      if (file.getFileName().toString().endsWith(".json")) {
        GroupMeta group = AtomicFiles.readJson(file, GroupMeta.class);
        store.groups.put(group.id(), group);
      }
    }
    return store;
  }

  public Path root() {
    return root;
  }

  public Path journalDir() {
    return root.resolve("journal");
  }

  public Path snapshotsDir() {
    return root.resolve("snapshots");
  }

  // ---------------------------------------------------------------- volumes

  public Volume volume(String id) {
    return volumes.get(id);
  }

  public Volume requireVolume(String id) {
    Volume volume = volumes.get(id);
    if (volume == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "volume " + id + " not found");
    }
    return volume;
  }

  public Collection<Volume> volumes() {
    return List.copyOf(volumes.values());
  }

  /** Creates a volume, or returns the one already there under that id. */
  public synchronized Volume createVolume(VolumeMeta meta) {
    Volume existing = volumes.get(meta.id);
    if (existing != null) {
      return existing;
    }
    Volume volume = Volume.create(root.resolve("volumes").resolve(meta.id), meta);
    volumes.put(meta.id, volume);
    return volume;
  }

  public synchronized void deleteVolume(String id) {
    Volume volume = volumes.remove(id);
    if (volume != null) {
      volume.close();
      AtomicFiles.deleteTree(volume.dir());
    }
  }

  // ---------------------------------------------------------------- groups

  public GroupMeta group(String id) {
    return groups.get(id);
  }

  public Collection<GroupMeta> groups() {
    return List.copyOf(groups.values());
  }

  public synchronized void putGroup(GroupMeta group) {
    AtomicFiles.writeJson(root.resolve("groups").resolve(group.id() + ".json"), group);
    groups.put(group.id(), group);
  }

  public synchronized void deleteGroup(String id) {
    AtomicFiles.deleteIfExists(root.resolve("groups").resolve(id + ".json"));
    groups.remove(id);
  }

  /** The group a volume belongs to. */
  public Optional<GroupMeta> groupOf(String volumeId) {
    return groups.values().stream().filter(g -> g.volumeIds().contains(volumeId)).findFirst();
  }

  // ---------------------------------------------------------------- site state

  public SiteState state() {
    return state;
  }

  public synchronized void setState(SiteState next) {
    AtomicFiles.writeJson(root.resolve("site.json"), next);
    state = next;
  }

  /** Closes every volume (block maps saved); the store stays on disk. */
  public void close() {
    volumes.values().forEach(Volume::close);
  }

  static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return new ArrayList<>(entries.sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
