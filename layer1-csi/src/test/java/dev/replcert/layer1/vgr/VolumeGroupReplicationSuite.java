package dev.replcert.layer1.vgr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.kube.GroupStatus;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.layer1.kube.KubeSite;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec.ReplicationState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * VolumeGroupReplication as csi-addons drives it: the group is the claims its label selector
 * picks, followed as labels change, down to the driver's volume group; the group is demoted and
 * taken over on the peer as one, with every member's records there; its content lists each
 * member's PV and handles, and deleting the VGR takes its VR and content but not the claims.
 */
@Certification
class VolumeGroupReplicationSuite {

  private static final Map<String, String> SELECTOR = Map.of("app", "grp");
  private static final int RECORDS = 30;

  private KubeFixture kube;
  private KubeSite east;
  private KubeSite west;
  private Duration follow;

  @BeforeEach
  void connect(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    kube = new KubeFixture(KubeFixture.plan(test), environment, config, tracker, evidence);
    east = kube.east();
    west = kube.west();
    // csi-addons reacts to label changes at once and requeues by the class's schedulingInterval
    follow = config.driver().replication().schedulingInterval().multipliedBy(2)
        .plus(kube.waits().timeout(TimeoutOperation.POLL));
  }

  @Test
  @PlanItem("L1-VGR-001")
  @RequiresCapability({Capability.REPLICATION, Capability.VOLUME_GROUP})
  void aGroupSelectsItsClaimsByLabelAndFollowsLabelChanges() {
    claims(List.of("a", "b", "c"), SELECTOR);
    east.claims().mustCreate("d");
    String uid = east.groups().create("grp", SELECTOR, ReplicationState.PRIMARY).getMetadata().getUid();
    GroupStatus promoted = awaitHeld(GroupMembers.of(east, List.of("a", "b", "c")), kube.waits().timeout(TimeoutOperation.PROMOTE),
        g -> g.completed("Primary", CsiAddons.Reason.PROMOTED));
    assertThat(promoted.vr().vr())
        .as("the group's VolumeReplication: %s", promoted)
        .satisfies(vr -> assertThat(vr.getMetadata().getName()).isEqualTo("vr-" + uid))
        .satisfies(vr -> assertThat(vr.getSpec().getDataSource().getKind()).isEqualTo("VolumeGroupReplication"))
        .satisfies(vr -> assertThat(vr.getSpec().getDataSource().getName()).isEqualTo("grp"));

    east.claims().label("d", "app", "grp");
    east.claims().label("a", "app", null);
    GroupMembers after = GroupMembers.of(east, List.of("b", "c", "d"));
    GroupStatus followed = awaitHeld(after, follow, g -> true);
    kube.evidence().attach("VGR after relabelling", followed.toString());
    assertFullSetSentToDriver(followed.groupHandle(), after, GroupMembers.of(east, List.of("a")));
  }

  @Test
  @PlanItem("L1-VGR-002")
  @RequiresCapability({Capability.REPLICATION, Capability.VOLUME_GROUP})
  void demotingAndTakingOverTheGroupSwitchesEveryMemberTogetherWithoutLoss() {
    List<String> claims = List.of("a", "b", "c");
    claims(claims, SELECTOR);
    east.groups().create("grp", SELECTOR, ReplicationState.PRIMARY);
    east.groups().awaitPromoted("grp");
    Map<String, WriterReport> written = writeOnEveryMember(claims);

    long start = System.nanoTime();
    east.groups().setState("grp", ReplicationState.SECONDARY);
    GroupStatus demoted = east.groups().awaitDemoted("grp");
    kube.evidence().measure("group.demoted", seconds(start), "s");
    assertGroupCall(demoted.groupHandle(), "DemoteVolume");

    takeOverOnWest(claims, demoted);
    west.groups().awaitPromoted("grp");
    kube.evidence().measure("group.promotedOnWest", seconds(start), "s");
    for (String claim : claims) {
      Verification found = west.verify(claim, "vgr-002-" + claim);
      WriterReport wrote = written.get(claim);
      kube.evidence().attach("west: member " + claim, found.describe(wrote));
      assertThat(found.isPrefixOf(wrote) && found.lostRecords(wrote) == 0)
          .as("west: member %s of the group must hold every record east acknowledged (#0..#%d) after the group"
              + " switch; %s", claim, wrote.lastAcked(), found.describe(wrote))
          .isTrue();
    }
  }

  @Test
  @PlanItem("L1-VGR-003")
  @RequiresCapability({Capability.REPLICATION, Capability.VOLUME_GROUP})
  void theContentListsEveryMemberVolumeAndGoesWithItsGroup() {
    claims(List.of("a", "b"), SELECTOR);
    east.claims().mustCreate("c");
    east.groups().create("grp", SELECTOR, ReplicationState.PRIMARY);
    east.groups().awaitPromoted("grp");
    // a member's destination may follow its membership by a poll of the controller
    GroupStatus two = awaitHeld(GroupMembers.of(east, List.of("a", "b")), kube.waits().timeout(TimeoutOperation.PROMOTE),
        DestinationInfo::consistent);
    DestinationInfo.assertConsistent(two);

    east.claims().label("c", "app", "grp");
    GroupStatus three = awaitHeld(GroupMembers.of(east, List.of("a", "b", "c")), follow, DestinationInfo::consistent);
    DestinationInfo.assertConsistent(three);
    kube.evidence().attach("content with three members", three.toString());

    east.groups().delete("grp");
    String vr = three.vr().vr().getMetadata().getName();
    String content = three.content().getMetadata().getName();
    east.groups().await("grp", "is gone with its VR " + vr + " and content " + content, TimeoutOperation.CLEANUP,
        g -> !g.exists() && east.replications().observe(vr).vr() == null && !contentExists(content));
    for (String claim : List.of("a", "b", "c")) {
      assertThat(east.claims().get(claim))
          .as("PVC %s after its group was deleted", claim)
          .satisfies(pvc -> assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound"))
          .satisfies(pvc -> assertThat(pvc.getMetadata().getFinalizers())
              .doesNotContain(CsiAddons.VGR_PROTECTION_FINALIZER));
    }
  }

  private void claims(List<String> names, Map<String, String> labels) {
    names.forEach(name -> east.claims().mustCreate(name, labels));
  }

  /** Waits until the group holds exactly the members (VGR, content, mappings) and {@code also} holds. */
  private GroupStatus awaitHeld(GroupMembers members, Duration limit, Predicate<GroupStatus> also) {
    return east.groups().await("grp", "holds exactly " + members, limit, g -> members.heldBy(g) && also.test(g));
  }

  /** Writers on every member at once, each stopped once it acknowledged {@value #RECORDS} records. */
  private Map<String, WriterReport> writeOnEveryMember(List<String> claims) {
    Map<String, WriterHandle> writers = new LinkedHashMap<>();
    claims.forEach(claim -> writers.put(claim, east.startWriter(claim, "vgr-002-" + claim, 0)));
    Map<String, WriterReport> written = new LinkedHashMap<>();
    writers.forEach((claim, writer) -> {
      kube.waits().until(writer.describe() + " acknowledged " + RECORDS + " records", TimeoutOperation.POD_START,
          writer::progress, r -> r.ackedCount() >= RECORDS || r.stoppedBecause() != WriterReport.StopReason.RUNNING);
      written.put(claim, writer.stop());
    });
    written.forEach((claim, report) -> assertThat(report.failure() == null && report.ackedCount() >= RECORDS)
        .as("the writer of member %s had to write %d records and be stopped: %s", claim, RECORDS, report)
        .isTrue());
    return written;
  }

  /**
   * West takes the group over as a failover recreates it: each member's PV names the replica (the
   * content's destinationVolumeHandle when reported, else the same handle, as RBD mirroring and the
   * reference driver keep it), a content names the replica group (destinationVolumeGroupID, else the
   * same id) and a primary VGR selects the claims and binds that content.
   */
  private void takeOverOnWest(List<String> claims, GroupStatus demoted) {
    List<String> handles = claims.stream().map(claim -> {
      String handle = east.claims().handle(claim);
      String replica = demoted.mappings().stream().filter(m -> handle.equals(m.getVolumeHandle()))
          .map(m -> m.getDestinationVolumeHandle()).filter(h -> h != null && !h.isBlank())
          .findFirst().orElse(handle);
      west.claims().mustClaimExisting(claim, east.claims().volume(claim), replica, SELECTOR);
      return replica;
    }).toList();
    String content = west.groups().preProvisionContent("grp",
        demoted.destinationGroup().orElse(demoted.groupHandle()), handles);
    west.groups().create("grp", SELECTOR, ReplicationState.PRIMARY, content);
  }

  private void assertGroupCall(String groupId, String method) {
    if (!kube.calls().recorded()) {
      kube.evidence().attach("driver calls", "not visible in this environment; " + method + " not checked");
      return;
    }
    assertThat(kube.calls().on("east", groupId).stream()
            .filter(c -> c.method().endsWith("/" + method) && c.request().contains("volumegroup")))
        .as("east: %s with replication_source.volumegroup %s;%n%s", method, groupId,
            kube.calls().render("east", groupId))
        .isNotEmpty();
  }

  /** The last ModifyVolumeGroupMembership names every member's handle and none of the others'. */
  private void assertFullSetSentToDriver(String groupId, GroupMembers members, GroupMembers removed) {
    if (!kube.calls().recorded()) {
      kube.evidence().attach("driver calls", "not visible in this environment; membership changes not checked");
      return;
    }
    List<CallRecord> modifies = kube.calls().on("east", groupId).stream()
        .filter(c -> c.method().endsWith("/ModifyVolumeGroupMembership")).toList();
    assertThat(modifies).as("east: ModifyVolumeGroupMembership of group %s;%n%s", groupId,
        kube.calls().render("east", groupId)).isNotEmpty();
    String last = modifies.get(modifies.size() - 1).request();
    assertThat(members.handles()).as("the last ModifyVolumeGroupMembership of %s: %s", groupId, last)
        .allMatch(last::contains);
    assertThat(removed.handles()).as("the last ModifyVolumeGroupMembership of %s: %s", groupId, last)
        .noneMatch(last::contains);
  }

  private boolean contentExists(String name) {
    return east.client().resources(VolumeGroupReplicationContent.class)
        .withName(name).get() != null;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
