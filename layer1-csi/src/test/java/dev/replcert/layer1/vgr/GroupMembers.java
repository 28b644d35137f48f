package dev.replcert.layer1.vgr;

import dev.replcert.layer1.kube.GroupStatus;
import dev.replcert.layer1.kube.KubeSite;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentstatus.PersistentVolumeMappingList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims a VolumeGroupReplication should hold on one site, and what each is on the driver: its
 * PV and CSI volume handle. A {@link GroupStatus} agrees with them when the VGR lists exactly these
 * claims and its content exactly their handles, with one PV mapping per member.
 */
record GroupMembers(Map<String, Member> byClaim) {

  /** One member claim: its PV and the driver's handle of its volume. */
  record Member(String claim, String pv, String handle) {}

  static GroupMembers of(KubeSite site, List<String> claims) {
    Map<String, Member> members = new LinkedHashMap<>();
    for (String claim : claims) {
      members.put(claim, new Member(claim, site.claims().volume(claim).getMetadata().getName(),
          site.claims().handle(claim)));
    }
    return new GroupMembers(members);
  }

  Set<String> claims() {
    return new TreeSet<>(byClaim.keySet());
  }

  Set<String> handles() {
    return new TreeSet<>(byClaim.values().stream().map(Member::handle).toList());
  }

  /** The VGR lists exactly the members; its content names exactly their handles and maps each PV. */
  boolean heldBy(GroupStatus group) {
    return claims().equals(new TreeSet<>(group.members()))
        && handles().equals(new TreeSet<>(group.contentHandles()))
        && group.contentHandles().size() == byClaim.size()
        && mapped(group.mappings());
  }

  private boolean mapped(List<PersistentVolumeMappingList> mappings) {
    Set<String> seen = new TreeSet<>();
    for (PersistentVolumeMappingList mapping : mappings) {
      boolean known = byClaim.values().stream().anyMatch(m -> m.pv().equals(mapping.getName())
          && m.handle().equals(mapping.getVolumeHandle()));
      if (!known || !seen.add(Objects.toString(mapping.getName()))) {
        return false;
      }
    }
    return seen.size() == byClaim.size();
  }

  @Override
  public String toString() {
    return byClaim.values().stream().map(m -> m.claim() + " (PV " + m.pv() + ", handle " + m.handle() + ")")
        .toList().toString();
  }
}
