package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.Volume;
import java.util.List;

/** The volumes (sorted by id) and group an operation applies to. */
record TargetVolumes(Target target, GroupMeta group, List<Volume> volumes) {
  String unitKey() {
    return group != null ? Unit.groupKey(group.id()) : Unit.volumeKey(volumes.get(0).id());
  }

  Unit unit() {
    return new Unit(unitKey(), group, volumes);
  }

  List<String> ids() {
    return volumes.stream().map(Volume::id).toList();
  }
}
