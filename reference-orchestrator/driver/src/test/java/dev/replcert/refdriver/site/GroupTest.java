package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

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

  private String replicatedGroup() {
    String group = sites.east.createGroup("app", List.of(a, b), Map.of()).groupId();
    sites.east.enableReplication(Target.group(group), Map.of());
    await("group replicated")
        .ignoreExceptions()
        .until(() -> sites.east.replicationStatus(Target.group(group)).health() == ReplicationStatus.Health.HEALTHY);
    return group;
  }
}
