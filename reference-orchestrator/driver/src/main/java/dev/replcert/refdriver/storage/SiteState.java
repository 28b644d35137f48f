package dev.replcert.refdriver.storage;

import java.util.List;

/**
 * Site-wide state ({@code site.json}).
 *
 * @param fencedCidrs what ListClusterFence reports
 * @param enforcedCidrs what the data path refuses (equal to fencedCidrs unless a defect keeps
 *     unfenced ranges cut off)
 * @param fenceVersion bumped by every fence or unfence made on the site that made it (with fence
 *     scope mirror the two sites keep the newer fence)
 * @param fenceSetBy the site that made the fence's last change (orders changes of one version)
 */
public record SiteState(List<String> fencedCidrs, List<String> enforcedCidrs, long fenceVersion, String fenceSetBy) {

  public SiteState {
    fencedCidrs = fencedCidrs == null ? List.of() : List.copyOf(fencedCidrs);
    enforcedCidrs = enforcedCidrs == null ? List.of() : List.copyOf(enforcedCidrs);
    fenceSetBy = fenceSetBy == null ? "" : fenceSetBy;
  }

  public static SiteState empty() {
    return new SiteState(List.of(), List.of(), 0, "");
  }
}
