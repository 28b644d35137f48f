package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.read;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.replcert.refdriver.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volume groups: membership, and replication of all members at one point in time. */
class GroupTest {

  @TempDir Path tmp;
  TwoSites sites;
  String a;
  String b;

  @BeforeEach
  void start() {
    sites = TwoSites.start(tmp);
    a = sites.east.createVolume("member-a", MIB, Map.of()).volumeId();
    b = sites.east.createVolume("member-b", MIB, Map.of()).volumeId();
  }

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void membersOnThePeerAreNeverAtDifferentPointsInTime() throws Exception {
    String group = replicatedGroup();
    assertThat(Scenarios.groupMemberAhead(sites, a, b, Duration.ofMillis(1500)))
        .as("west showed member b ahead of member a")
        .isFalse();
    assertThat(TwoSites.readLong(sites.west, a, 0)).as("the counters did replicate").isPositive();
    assertThat(sites.east.replicationStatus(Target.group(group)).health()).isEqualTo(ReplicationStatus.Health.HEALTHY);
  }

  @Test
  void groupSwitchesSitesAsOneAndKeepsEveryMembersData() {
    String group = replicatedGroup();
    write(sites.east, a, 0, pattern(40, 3000));
    write(sites.east, b, 500, pattern(41, 3000));
    sites.east.demote(Target.group(group), Instant.now().plusSeconds(10));
    sites.west.promote(Target.group(group), false);

    assertThat(sites.west.group(group).volumes()).extracting(VolumeInfo::role).containsOnly(VolumeInfo.Role.PRIMARY);
    assertThat(sites.east.group(group).volumes()).extracting(VolumeInfo::role).containsOnly(VolumeInfo.Role.SECONDARY);
    assertThat(readAll(sites.west, a)).isEqualTo(readAll(sites.east, a));
    assertThat(readAll(sites.west, b)).isEqualTo(readAll(sites.east, b));
    assertThat(sites.west.group(group).volumes()).extracting(VolumeInfo::volumeId).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void aVolumeAddedToAReplicatedGroupIsReplicatedWithIt() {
    String group = replicatedGroup();
    String c = sites.east.createVolume("member-c", MIB, Map.of()).volumeId();
    write(sites.east, c, 0, pattern(42, 5000));
    sites.east.modifyGroup(group, List.of(a, b, c));

    await("new member replicated").ignoreExceptions().until(() -> sites.west.volume(c).groupId() != null);
    sites.awaitIdentical(c);
    assertThat(sites.west.group(group).volumes()).extracting(VolumeInfo::volumeId).containsExactlyInAnyOrder(a, b, c);

    sites.east.modifyGroup(group, List.of(a, b));
    assertThat(sites.east.volume(c).role()).as("removed member stops replicating").isEqualTo(VolumeInfo.Role.NONE);
  }

  @Test
  void groupsAreIdempotentByNameAndGuardTheirMembers() {
    VolumeGroupInfo created = sites.east.createGroup("app", List.of(a, b), Map.of());
    assertThat(sites.east.createGroup("app", List.of(b, a), Map.of())).isEqualTo(created);
    assertThat(errorOf(() -> sites.east.createGroup("app", List.of(a), Map.of()))).isEqualTo(ErrorCode.ALREADY_EXISTS);
    assertThat(errorOf(() -> sites.east.createGroup("other", List.of(a), Map.of())))
        .as("a volume in two groups")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.createGroup("ghost", List.of("vol-0000000000000000"), Map.of())))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(sites.east.volume(a).groupId()).isEqualTo(created.groupId());
    assertThat(sites.east.listGroups()).containsExactly(created);

    sites.east.enableReplication(Target.group(created.groupId()), Map.of());
    assertThat(errorOf(() -> sites.east.deleteGroup(created.groupId()))).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    sites.east.disableReplication(Target.group(created.groupId()));
    sites.east.deleteGroup(created.groupId());
    sites.east.deleteGroup(created.groupId());
    assertThat(sites.east.volume(a).groupId()).isNull();
    assertThat(errorOf(() -> sites.east.group(created.groupId()))).isEqualTo(ErrorCode.NOT_FOUND);
  }

  /**
   * The old primary's cluster deletes its VolumeGroupReplication after a move away (Disable, then
   * DeleteVolumeGroup) while the peer is primary: the replica group must stay, whole and syncing,
   * for the move back, whose restored content names the same group.
   */
  @Test
  void aReplicaGroupLetGoByItsClusterIsReleasedKeepsSyncingAndIsClaimedAgain() throws Exception {
    String group = replicatedGroup();
    write(sites.east, a, 8192, pattern(43, 3000)); // offset 0 is groupMemberAhead's counter
    sites.awaitIdentical(a);
    VolumeGroupInfo listed = sites.west.listGroups().get(0);

    sites.west.disableReplication(Target.group(group));
    sites.west.deleteGroup(group);
    sites.west.deleteGroup(group); // idempotent
    assertThat(sites.west.listGroups()).as("ListVolumeGroups after DeleteVolumeGroup").isEmpty();
    assertThat(sites.west.group(group).volumes())
        .as("a released group is still there, with its members, as a secondary")
        .extracting(VolumeInfo::volumeId, VolumeInfo::role)
        .containsExactlyInAnyOrder(tuple(a, VolumeInfo.Role.SECONDARY), tuple(b, VolumeInfo.Role.SECONDARY));
    assertThat(errorOf(() -> sites.east.deleteGroup(group)))
        .as("DeleteVolumeGroup of the primary group")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);

    write(sites.east, a, 16384, pattern(44, 3000)); // written after the group was let go
    write(sites.east, b, 16384, pattern(45, 3000));
    sites.awaitIdentical(a);
    sites.awaitIdentical(b);
    assertThat(Scenarios.groupMemberAhead(sites, a, b, Duration.ofMillis(500)))
        .as("a released group still syncs as one")
        .isFalse();

    assertThat(sites.west.createGroup("app", List.of(b, a), Map.of())).as("CreateVolumeGroup claims it").isEqualTo(listed);
    assertThat(sites.west.listGroups()).containsExactly(listed);
    sites.west.deleteGroup(group);
    sites.west.modifyGroup(group, List.of(a, b));
    assertThat(sites.west.listGroups()).as("ModifyVolumeGroupMembership claims it").extracting(VolumeGroupInfo::groupId).containsExactly(group);
    sites.west.deleteGroup(group);
    sites.west.enableReplication(Target.group(group), Map.of());
    assertThat(sites.west.listGroups()).as("Enable claims it").extracting(VolumeGroupInfo::groupId).containsExactly(group);
    sites.west.deleteGroup(group);

    sites.east.demote(Target.group(group), Instant.now().plusSeconds(10));
    sites.west.promote(Target.group(group), false);
    assertThat(sites.west.listGroups()).as("Promote claims it").extracting(VolumeGroupInfo::groupId).containsExactly(group);
    assertThat(read(sites.west, a, 16384, 3000)).isEqualTo(pattern(44, 3000));
    assertThat(read(sites.west, b, 16384, 3000)).isEqualTo(pattern(45, 3000));
    assertThat(readAll(sites.west, a)).isEqualTo(readAll(sites.east, a));
  }

  @Test
  void disablingThePrimaryGroupDeletesTheReleasedReplicaGroupAndTheReleasedMembers() {
    String group = replicatedGroup();
    sites.west.disableReplication(Target.group(group));
    sites.west.deleteVolume(a); // released; b is still claimed on west
    sites.west.deleteGroup(group);

    sites.east.disableReplication(Target.group(group));

    assertThat(errorOf(() -> sites.west.group(group))).as("the released group").isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(errorOf(() -> sites.west.volume(a))).as("the released member").isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(sites.west.volume(b).role()).as("a member still claimed on west").isEqualTo(VolumeInfo.Role.SECONDARY);
    assertThat(sites.west.volume(b).groupId()).isNull();
    assertThat(sites.east.group(group).volumes()).extracting(VolumeInfo::role).containsOnly(VolumeInfo.Role.NONE);
  }

  @Test
  void aReleasedGroupStaysReleasedAndSyncingAcrossARestart() {
    String group = replicatedGroup();
    sites.west.deleteGroup(group);
    sites.stopWest();
    write(sites.east, a, 0, pattern(46, 3000)); // while west is down
    sites.startWest();

    assertThat(sites.west.listGroups()).isEmpty();
    assertThat(sites.west.group(group).volumes()).extracting(VolumeInfo::volumeId).containsExactlyInAnyOrder(a, b);
    sites.awaitIdentical(a);
    sites.west.modifyGroup(group, List.of(a, b));
    assertThat(sites.west.listGroups()).extracting(VolumeGroupInfo::groupId).containsExactly(group);
  }

  private String replicatedGroup() {
    String group = sites.east.createGroup("app", List.of(a, b), Map.of()).groupId();
    sites.east.enableReplication(Target.group(group), Map.of());
    await("group replicated")
        .ignoreExceptions()
        .until(() -> sites.east.replicationStatus(Target.group(group)).health() == ReplicationStatus.Health.HEALTHY);
    return group;
  }
}
