package dev.replcert.refdriver.storage;

import java.util.List;

/**
 * Site-wide state ({@code site.json}).
 *
 * @param fencedCidrs what ListClusterFence reports
 * @param enforcedCidrs what the data path refuses (equal to fencedCidrs unless a defect keeps
 *     unfenced ranges cut off)
 */
public record SiteState(List<String> fencedCidrs, List<String> enforcedCidrs) {

  public SiteState {
    fencedCidrs = fencedCidrs == null ? List.of() : List.copyOf(fencedCidrs);
    enforcedCidrs = enforcedCidrs == null ? List.of() : List.copyOf(enforcedCidrs);
  }

  public static SiteState empty() {
    return new SiteState(List.of(), List.of());
  }
}
