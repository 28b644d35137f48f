package dev.replcert.plan;

import java.util.List;

/**
 * One certification case of the test plan.
 *
 * @param id {@code L{layer}-{AREA}-{NNN}}, e.g. {@code L2-FO-001}
 * @param title one sentence, what is certified
 * @param layer 1 (CSI / csi-addons), 2 (platform DR operations) or 3 (CNV)
 * @param area the AREA part of the id (e.g. FO), grouped in the matrix
 * @param source where the case comes from: RamenDR, Ceph CSI, CNV, csi-addons spec, replcert
 * @param level MUST / SHOULD / MAY
 * @param capabilities capability ids (see the harness's Capability enum) the case needs
 * @param steps the steps in one or two lines
 */
public record PlanItem(
    String id,
    String title,
    int layer,
    String area,
    String source,
    Level level,
    List<String> capabilities,
    String steps) {

  public PlanItem {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }
}
