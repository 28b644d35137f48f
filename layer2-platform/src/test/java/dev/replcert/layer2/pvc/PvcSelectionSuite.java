package dev.replcert.layer2.pvc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.PlannedRelocation;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import dev.replcert.layer2.fixture.VrgStatus;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Which PVCs a VRG protects: exactly those its pvcSelector matches. A protected PVC carries Ramen's
 * finalizer, annotation and owner, its PV is retained; a PVC that is not selected is left exactly
 * as it was, is not restored on the other cluster, and is protected once labelled (and unprotected
 * again once the label goes). Labels are changed on the cluster, as a user does; the application's
 * manifests never name the label of the extra PVC, so its delivery does not undo the change.
 */
@Certification
class PvcSelectionSuite {

  static final String PROTECTED_ANNOTATION = "volumereplicationgroups.ramendr.openshift.io/vr-protected";
  static final String RETAINED_ANNOTATION = "volumereplicationgroups.ramendr.openshift.io/vr-retained";
  static final String RESTORED_ANNOTATION = "volumereplicationgroups.ramendr.openshift.io/ramen-restore";
  static final String RAMEN_PREFIX = "volumereplicationgroups.ramendr.openshift.io/";

  private DrFixture dr;
  private ProtectedApplication app;
  private Protection protection;
  private String other;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    app = ProtectedApplication.builder(dr, "app").claims(2).withUnprotectedClaim().create();
    protection = new Protection(dr, app);
    other = app.unprotectedClaim().orElseThrow();
  }

  @Test
  @PlanItem("L2-PVC-001")
  @RequiresCapability(Capability.REPLICATION)
  void onlyTheSelectedClaimsAreProtectedAndAnUnselectedOneIsLeftAloneUntilLabelled() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    String reclaimBefore = pv(dr.east(), other).getSpec().getPersistentVolumeReclaimPolicy();
    assertProtectsExactly(dr.east(), app.protectedClaims());
    assertUntouched(dr.east(), other, reclaimBefore);

    PlannedRelocation moves = new PlannedRelocation(dr, app, protection);
    PlannedRelocation.Relocation relocation = moves.relocate(drpc, dr.east(), dr.west());
    assertThat(app.writer(dr.west(), other).progress().firstSequence())
        .as("first record written to %s on west: a fresh volume, nothing restored", other).isZero();
    moves.assertZeroLoss(relocation);
    assertThat(pv(dr.west(), other).getMetadata().getAnnotations()).as("PV of %s on west after the relocate", other)
        .doesNotContainKey(RESTORED_ANNOTATION);
    assertProtectsExactly(dr.west(), app.protectedClaims());
    assertUntouched(dr.west(), other, pv(dr.west(), other).getSpec().getPersistentVolumeReclaimPolicy());

    label(dr.west(), other, app.name());
    protection.awaitVrg(dr.west(), "protects " + other + " once labelled (within 2x interval)",
        protection.twiceInterval(), v -> v.protectedNames().contains(other)
            && protection.vrs(dr.west()).stream().anyMatch(vr -> vr.getMetadata().getName().equals(other)));
  }

  @Test
  @PlanItem("L2-PVC-002")
  @RequiresCapability(Capability.REPLICATION)
  void protectedClaimsCarryRamensMarksAndLoseThemWhenNoLongerSelected() {
    protection.deploy(DrSetup.create(dr), "east");
    for (String claim : app.protectedClaims()) {
      assertProtected(dr.east(), claim);
    }
    String reclaimBefore = pv(dr.east(), other).getSpec().getPersistentVolumeReclaimPolicy();

    label(dr.east(), other, app.name());
    protection.awaitVrg(dr.east(), "protects " + other + " once labelled", protection.twiceInterval(),
        v -> v.protectedNames().contains(other) && marked(dr.east(), other));
    assertProtected(dr.east(), other);

    label(dr.east(), other, null);
    dr.waits().until("PVC " + other + " on east unprotected once unlabelled: VR deleted, Ramen's finalizer and"
            + " annotations removed, PV reclaim policy " + reclaimBefore + " again",
        protection.twiceInterval(), () -> describe(dr.east(), other),
        s -> protection.vrs(dr.east()).stream().noneMatch(vr -> vr.getMetadata().getName().equals(other))
            && isUntouched(dr.east(), other, reclaimBefore));
    // the VRG writes its status at the end of the pass that let the claim go: a moment after the
    // claim itself shows it
    protection.awaitVrg(dr.east(), "no longer lists " + other + " as protected", protection.twiceInterval(),
        v -> !v.protectedNames().contains(other));
  }

  private void assertProtectsExactly(ManagedSite site, List<String> claims) {
    List<String> sorted = claims.stream().sorted().toList();
    VrgStatus vrg = protection.awaitVrg(site, "lists exactly " + sorted + " as protected", protection.twiceInterval(),
        v -> v.protectedNames().equals(sorted));
    assertThat(protection.vrs(site)).extracting(v -> v.getMetadata().getName())
        .as("VRs on %s (%s)", site, vrg).containsExactlyElementsOf(sorted);
  }

  private void assertProtected(ManagedSite site, String claim) {
    PersistentVolumeClaim pvc = pvc(site, claim);
    assertThat(pvc.getMetadata().getFinalizers()).as("finalizers of PVC %s", claim)
        .contains(Ramen.PVC_VR_PROTECTION_FINALIZER);
    assertThat(pvc.getMetadata().getAnnotations()).as("annotations of PVC %s", claim)
        .containsEntry(PROTECTED_ANNOTATION, "protected");
    assertThat(pvc.getMetadata().getOwnerReferences()).as("owners of PVC %s", claim)
        .anyMatch(o -> "VolumeReplicationGroup".equals(o.getKind()) && app.name().equals(o.getName()));
    PersistentVolume pv = pv(site, claim);
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).as("reclaimPolicy of PV %s of %s",
        pv.getMetadata().getName(), claim).isEqualTo("Retain");
    assertThat(pv.getMetadata().getAnnotations()).as("annotations of PV %s of %s", pv.getMetadata().getName(), claim)
        .containsEntry(RETAINED_ANNOTATION, "retained");
  }

  private boolean marked(ManagedSite site, String claim) {
    PersistentVolumeClaim pvc = pvc(site, claim);
    return pvc.getMetadata().getFinalizers() != null
        && pvc.getMetadata().getFinalizers().contains(Ramen.PVC_VR_PROTECTION_FINALIZER)
        && "Retain".equals(pv(site, claim).getSpec().getPersistentVolumeReclaimPolicy());
  }

  private void assertUntouched(ManagedSite site, String claim, String reclaimPolicy) {
    assertThat(isUntouched(site, claim, reclaimPolicy)).as("PVC %s on %s untouched by Ramen: %s", claim, site,
        describe(site, claim)).isTrue();
    assertThat(protection.vrs(site)).as("VRs on %s", site).noneMatch(v -> v.getMetadata().getName().equals(claim));
  }

  /** No Ramen finalizer, annotation or VRG owner on the PVC, no Ramen annotation on its PV, reclaim as given. */
  private boolean isUntouched(ManagedSite site, String claim, String reclaimPolicy) {
    PersistentVolumeClaim pvc = pvc(site, claim);
    PersistentVolume pv = pv(site, claim);
    return (pvc.getMetadata().getFinalizers() == null
            || !pvc.getMetadata().getFinalizers().contains(Ramen.PVC_VR_PROTECTION_FINALIZER))
        && ramenKeys(pvc.getMetadata().getAnnotations()).isEmpty()
        && (pvc.getMetadata().getOwnerReferences() == null || pvc.getMetadata().getOwnerReferences().stream()
            .noneMatch(o -> "VolumeReplicationGroup".equals(o.getKind())))
        && ramenKeys(pv.getMetadata().getAnnotations()).isEmpty()
        && Objects.equals(reclaimPolicy, pv.getSpec().getPersistentVolumeReclaimPolicy());
  }

  private static List<String> ramenKeys(Map<String, String> annotations) {
    return annotations == null ? List.of()
        : annotations.keySet().stream().filter(k -> k.startsWith(RAMEN_PREFIX)).toList();
  }

  private String describe(ManagedSite site, String claim) {
    PersistentVolumeClaim pvc = pvc(site, claim);
    PersistentVolume pv = pv(site, claim);
    return "PVC " + claim + " finalizers " + pvc.getMetadata().getFinalizers() + " annotations "
        + pvc.getMetadata().getAnnotations() + " owners " + pvc.getMetadata().getOwnerReferences().stream()
            .map(o -> o.getKind() + "/" + o.getName()).toList()
        + "; PV " + pv.getMetadata().getName() + " reclaim " + pv.getSpec().getPersistentVolumeReclaimPolicy()
        + " annotations " + pv.getMetadata().getAnnotations() + "; VRs " + Protection.describe(protection.vrs(site));
  }

  /** Sets (or with null, removes) the app label on the PVC, as a user does on the cluster. */
  private void label(ManagedSite site, String claim, String value) {
    site.client().persistentVolumeClaims().inNamespace(dr.namespace()).withName(claim).edit(p -> {
      if (p.getMetadata().getLabels() == null) {
        p.getMetadata().setLabels(new java.util.HashMap<>());
      }
      if (value == null) {
        p.getMetadata().getLabels().remove(ProtectedApplication.APP_LABEL);
      } else {
        p.getMetadata().getLabels().put(ProtectedApplication.APP_LABEL, value);
      }
      return p;
    });
  }

  private PersistentVolumeClaim pvc(ManagedSite site, String claim) {
    PersistentVolumeClaim pvc = site.client().persistentVolumeClaims().inNamespace(dr.namespace()).withName(claim)
        .get();
    assertThat(pvc).as("PVC %s on %s", claim, site).isNotNull();
    return pvc;
  }

  private PersistentVolume pv(ManagedSite site, String claim) {
    String volume = pvc(site, claim).getSpec().getVolumeName();
    assertThat(volume).as("PVC %s on %s bound", claim, site).isNotNull();
    return site.client().persistentVolumes().withName(volume).get();
  }
}
