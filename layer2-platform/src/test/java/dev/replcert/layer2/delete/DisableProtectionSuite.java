package dev.replcert.layer2.delete;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
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
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import dev.replcert.layer2.fixture.ProtectionRemoval;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Disabling DR: deleting the DRPC (annotated as Ramen wants to keep the PVCs) removes everything
 * Ramen made for it (VRG works and views on the hub, the VRs on the cluster, replication disabled
 * in the driver) and nothing of the application: the PVCs stay Bound, the writers keep writing and
 * the data is intact. Protecting it again works.
 */
@Certification
class DisableProtectionSuite {

  /** Ramen's DRPC annotation: deleting the DRPC must leave the application's PVCs. */
  static final String DO_NOT_DELETE_PVC = "drplacementcontrol.ramendr.openshift.io/do-not-delete-pvc";

  private DrFixture dr;
  private Optional<CallLog> calls;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    calls = environment.client(CallLog.class, Optional.empty());
  }

  @Test
  @PlanItem("L2-DEL-001")
  @RequiresCapability(Capability.REPLICATION)
  void deletingTheDrpcKeepsTheClaimsBoundAndTheDataIntact() {
    ProtectedApplication app = ProtectedApplication.builder(dr, "app").claims(2).create();
    Protection protection = new Protection(dr, app);
    DrSetup setup = DrSetup.create(dr);
    DrActions drpc = protection.deploy(setup, "east");
    long mark = calls.map(CallLog::mark).orElse(0L);

    dr.hub().client().resources(DRPlacementControl.class).inNamespace(dr.namespace()).withName(drpc.name())
        .edit(d -> {
          d.getMetadata().getAnnotations().put(DO_NOT_DELETE_PVC, "true");
          return d;
        });
    drpc.delete();
    String vrgWork = drpc.name() + "-" + dr.namespace() + "-vrg-mw";
    String vrgView = drpc.name() + "-" + dr.namespace() + "-vrg-mcv";
    for (ManagedSite site : dr.sites()) {
      dr.waits().until("VRG ManifestWork " + vrgWork + " and view " + vrgView + " of " + site + " deleted on the hub",
          TimeoutOperation.CLEANUP, () -> List.of(
              String.valueOf(dr.hub().client().resources(ManifestWork.class).inNamespace(site.name())
                  .withName(vrgWork).get() != null),
              String.valueOf(dr.hub().client().resources(ManagedClusterView.class).inNamespace(site.name())
                  .withName(vrgView).get() != null)),
          left -> left.equals(List.of("false", "false")));
    }
    dr.waits().until("VRs on east deleted", TimeoutOperation.CLEANUP,
        () -> Protection.describe(protection.vrs(dr.east())), "[]"::equals);
    calls.ifPresent(log -> {
      List<CallRecord> disabled = log.since(mark).stream()
          .filter(c -> c.endpoint().startsWith("east") && c.method().endsWith("/DisableVolumeReplication")).toList();
      assertThat(disabled).as("DisableVolumeReplication calls on east after the DRPC deletion:%n%s",
          disabled.stream().map(CallRecord::line).collect(Collectors.joining("\n")))
          .hasSizeGreaterThanOrEqualTo(app.protectedClaims().size());
    });
    new ProtectionRemoval(dr, app).assertDataKeptOn(dr.east());

    DrActions again = new DrActions(dr, app, setup);
    again.create("east");
    protection.awaitSettled(again, Ramen.Phase.DEPLOYED);
    assertThat(protection.vrs(dr.east())).extracting(v -> v.getMetadata().getName())
        .as("VRs on east once protected again").containsExactlyInAnyOrderElementsOf(app.protectedClaims());
  }
}
