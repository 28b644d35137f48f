package dev.replcert.refdriver.replication;

import dev.replcert.api.k8s.GoDuration;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What syncs as one: a replicated volume on its own, or every member of a replicated group (frozen
 * together, so the group is consistent at one point in time).
 *
 * @param key {@code volume:<id>} or {@code group:<id>}
 * @param group the group, or null for a single volume
 * @param volumes the members, sorted by id (the lock order)
 */
public record Unit(String key, GroupMeta group, List<Volume> volumes) {

  static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

  public Unit {
    volumes = volumes.stream().sorted(Comparator.comparing(Volume::id)).toList();
  }

  public static String volumeKey(String volumeId) {
    return "volume:" + volumeId;
  }

  public static String groupKey(String groupId) {
    return "group:" + groupId;
  }

  /** The unit a replicated volume syncs in: its group's when the group replicates. */
  public static String keyFor(SiteStore store, String volumeId) {
    return store.groupOf(volumeId).filter(GroupMeta::replicated).map(g -> groupKey(g.id())).orElse(volumeKey(volumeId));
  }

  /** The unit behind a key as the store has it now, or null when it no longer exists. */
  public static Unit resolve(SiteStore store, String key) {
    if (key.startsWith("group:")) {
      GroupMeta group = store.group(key.substring("group:".length()));
      if (group == null || !group.replicated()) {
        return null;
      }
      List<Volume> members =
          group.volumeIds().stream().map(store::volume).filter(Objects::nonNull).toList();
      return new Unit(key, group, members);
    }
    Volume volume = store.volume(key.substring("volume:".length()));
    if (volume == null || !volume.meta().replicated() || !key.equals(keyFor(store, volume.id()))) {
      return null;
    }
    return new Unit(key, null, List.of(volume));
  }

  /** Every unit that should be syncing, with its period. */
  public static Map<String, Duration> desired(SiteStore store, DriverOptions options) {
    Map<String, Duration> units = new LinkedHashMap<>();
    for (GroupMeta group : store.groups()) {
      if (group.replicated()) {
        units.put(groupKey(group.id()), period(options, group.schedulingInterval()));
      }
    }
    for (Volume volume : store.volumes()) {
      if (volume.meta().replicated()) {
        units.putIfAbsent(keyFor(store, volume.id()), period(options, volume.meta().schedulingInterval));
      }
    }
    return units;
  }

  /** The driver-wide period if set, else the class's schedulingInterval, else one minute. */
  static Duration period(DriverOptions options, String schedulingInterval) {
    if (options.syncPeriod() != null) {
      return options.syncPeriod();
    }
    if (schedulingInterval != null && !schedulingInterval.isBlank()) {
      try {
        return GoDuration.parsePositive(schedulingInterval);
      } catch (IllegalArgumentException e) {
        return DEFAULT_PERIOD; // validated at enable; an old file must not stop the scheduler
      }
    }
    return DEFAULT_PERIOD;
  }

  /** Members that are primary here (the ones a sync ships). */
  public List<Volume> primaries() {
    List<Volume> primaries = new ArrayList<>();
    for (Volume v : volumes) {
      if (v.meta().role == VolumeInfo.Role.PRIMARY) {
        primaries.add(v);
      }
    }
    return primaries;
  }

  /** Paused as a group, or any member paused on its own. */
  public boolean paused() {
    return (group != null && group.paused()) || volumes.stream().anyMatch(v -> v.meta().paused);
  }
}
