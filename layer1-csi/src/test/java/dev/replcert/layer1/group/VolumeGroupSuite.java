package dev.replcert.layer1.group;

import static dev.replcert.layer1.support.RpcCalls.must;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.volumegroup.VolumeGroup;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.BoundedVolume;
import dev.replcert.layer1.support.DependentWriter;
import dev.replcert.layer1.support.GroupSnapshot;
import dev.replcert.layer1.support.Names;
import dev.replcert.layer1.support.PeerReplicas;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.SyncTimes;
import dev.replcert.layer1.support.Targets;
import dev.replcert.layer1.support.VolumeGroups;
import dev.replcert.layer1.support.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Volume groups (csi-addons volumegroup.Controller) replicated through {@code
 * replication_source.volumegroup}: the group replicates as one, its members reach the peer at one
 * point in time (dependent writes across members are never inverted there), and membership
 * changes follow on the peer.
 */
@Certification
class VolumeGroupSuite {

  /** Steady-state looks at the secondary while the dependent writer runs, per group. */
  private static final int STEADY_CHECKS = 4;

  /** Fresh groups, each cut at a random moment (plan: three cut points). */
  private static final int CUT_POINTS = 3;

  private SiteDriver east;
  private SiteDriver west;
  private VolumeGroups eastGroups;
  private VolumeGroups westGroups;
  private Waits waits;
  private CertificationConfig config;
  private CapabilityProfile profile;
  private Environment environment;
  private ResourceTracker tracker;
  private Evidence evidence;
  private Duration interval;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint eastEndpoint,
      @Site("west") DriverEndpoint westEndpoint,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    this.east = new SiteDriver(eastEndpoint, config, tracker, evidence);
    this.west = new SiteDriver(westEndpoint, config, tracker, evidence);
    this.eastGroups = new VolumeGroups(east, tracker);
    this.westGroups = new VolumeGroups(west, tracker);
    this.waits = new Waits(config.timeoutProfile());
    this.config = config;
    this.profile = config.capabilities();
    this.environment = environment;
    this.tracker = tracker;
    this.evidence = evidence;
    this.interval = Targets.syncInterval(environment, config);
  }

  @Test
  @PlanItem("L1-VG-001")
  @RequiresCapability({Capability.REPLICATION, Capability.VOLUME_GROUP})
  void aVolumeGroupReplicatesThroughItsVolumeGroupSource() {
    List<String> volumes = createVolumes("vg-member", 3);
    String name = Names.unique("vg-group");
    VolumeGroup group = eastGroups.mustCreate(name, volumes);
    String groupId = group.getVolumeGroupId();
    assertThat(VolumeGroups.members(group))
        .as("east: CreateVolumeGroup(%s, %s) must answer with the group and its volumes", name, volumes)
        .containsExactlyInAnyOrderElementsOf(volumes);
    PeerReplicas replicas = PeerReplicas.ofGroup(east, west, groupId, volumes, tracker);

    east.mustEnable(replicas.source());
    east.mustPromote(replicas.source(), false);

    assertThat(VolumeGroups.members(eastGroups.mustGet(groupId)))
        .as("east: ControllerGetVolumeGroup(%s) after enable and promote", groupId)
        .containsExactlyInAnyOrderElementsOf(volumes);
    VolumeGroup again =
        must("east", "CreateVolumeGroup " + name + " again",
                () -> east.stubs().volumeGroups().createVolumeGroup(eastGroups.createRequest(name, volumes)))
            .getVolumeGroup();
    assertThat(again.getVolumeGroupId())
        .as("east: CreateVolumeGroup with the same name and volumes must return the same group")
        .isEqualTo(groupId);

    Instant first = SyncTimes.awaitFirstSync(waits, east, replicas.source());
    Instant next = SyncTimes.awaitSyncAfter(waits, east, replicas.source(), first, interval.multipliedBy(2));
    evidence.measure("group.lastSyncAdvance", Duration.between(first, next).toMillis() / 1e3, "s");
    evidence.measure("group.lastSyncBytes", east.mustGetInfo(replicas.source()).getLastSyncBytes(), "bytes");
  }

  @Test
  @PlanItem("L1-VG-002")
  @RequiresCapability({
    Capability.REPLICATION,
    Capability.VOLUME_GROUP,
    Capability.FORCE_PROMOTE,
    Capability.NODE_DATA_PATH
  })
  void groupMembersReachThePeerAtOnePointInTimeAndDependentWritesAreNeverInverted() {
    DisasterInjector disasters = Targets.disasters(environment, "east");
    for (int cut = 1; cut <= CUT_POINTS; cut++) {
      GroupUnderWrites group = replicatedGroupUnderDependentWrites("vg-cut" + cut, 3);
      checkTheSecondaryWhileWriting(group, cut);

      Instant cutAt = Instant.now().plusMillis(ThreadLocalRandom.current().nextLong(interval.toMillis() + 1));
      waits.until("east writing past " + cutAt + " (a random moment within one sync interval)",
          TimeoutOperation.RPC, group.writer()::lastAckedAt, at -> at != null && at.isAfter(cutAt));
      disasters.takeDown("east");
      tracker.track("bring east back", () -> bringUp(disasters));
      List<WriterReport> written = group.writer().stop();
      west.mustPromote(group.replicas().peerSource(), true);

      GroupSnapshot promoted = GroupSnapshot.read(group.writer(), group.secondary());
      evidence.attach("cut " + cut + ": west after force promote", promoted.describe());
      evidence.measure("group.cut" + cut + ".rpo.records", promoted.lostRecords(written), "records");
      assertThat(promoted.isContiguousPrefix() && promoted.eachIsPrefixOf(written))
          .as("cut %d: after east went down and west force-promoted volume group %s, its members must"
                  + " together hold a contiguous prefix of the dependent writes (one point in time for"
                  + " the whole group, no member ahead of another); west holds:%n%s%nwriters: %s",
              cut, group.replicas().peerGroup(), promoted.describe(), written)
          .isTrue();
      bringUp(disasters);
    }
  }

  @Test
  @PlanItem("L1-VG-003")
  @RequiresCapability({Capability.REPLICATION, Capability.VOLUME_GROUP, Capability.NODE_DATA_PATH})
  void membershipChangesTakeEffectOnThePeer() {
    List<String> volumes = createVolumes("vg-change", 4);
    List<String> initial = volumes.subList(0, 3);
    String groupId = eastGroups.mustCreate(Names.unique("vg-change"), initial).getVolumeGroupId();
    PeerReplicas replicas = PeerReplicas.ofGroup(east, west, groupId, volumes, tracker);
    east.mustEnable(replicas.source());
    east.mustPromote(replicas.source(), false);
    SyncTimes.awaitFirstSync(waits, east, replicas.source());

    String fourth = volumes.get(3);
    assertThat(VolumeGroups.members(eastGroups.mustModify(groupId, volumes)))
        .as("east: ModifyVolumeGroupMembership(%s) adding %s answers with the full new set", groupId, fourth)
        .containsExactlyInAnyOrderElementsOf(volumes);
    WriterReport written = writeRecords(east.mustPublish(fourth, false), 64);
    SyncTimes.awaitSyncAfter(waits, east, replicas.source(), written.lastAckedAt(), config.timeoutProfile().of(TimeoutOperation.FIRST_SYNC));
    replicas.learnPeerIds(profile, waits, volumes);

    east.mustDemote(replicas.source());
    west.mustPromote(replicas.peerSource(), false);
    Verification onWest = verify(west.mustPublish(replicas.peerVolume(fourth), true), written);
    assertThat(onWest.isPrefixOf(written) && onWest.lostRecords(written) == 0)
        .as("volume %s joined group %s after replication started; after a planned switch west (%s)"
                + " must hold every record written to it: %s", fourth, groupId, replicas.peerVolume(fourth),
            onWest.describe(written))
        .isTrue();

    removeAMemberOnWestAndKeepReplicating(replicas, volumes);
  }

  // ---------------------------------------------------------------- steps

  /** A replicated group under dependent writes: east's members writable, west's read-only. */
  private record GroupUnderWrites(PeerReplicas replicas, DependentWriter writer, List<VolumeIo> secondary) {}

  private GroupUnderWrites replicatedGroupUnderDependentWrites(String what, int size) {
    List<String> volumes = createVolumes(what, size);
    String groupId = eastGroups.mustCreate(Names.unique(what), volumes).getVolumeGroupId();
    PeerReplicas replicas = PeerReplicas.ofGroup(east, west, groupId, volumes, tracker);
    east.mustEnable(replicas.source());
    east.mustPromote(replicas.source(), false);
    replicas.learnPeerIds(profile, waits, volumes);
    List<VolumeIo> primary = new ArrayList<>();
    List<VolumeIo> secondary = new ArrayList<>();
    for (String id : volumes) {
      primary.add(BoundedVolume.of(east.mustPublish(id, false)));
      secondary.add(BoundedVolume.of(west.mustPublish(replicas.peerVolume(id), true)));
    }
    DependentWriter writer = new DependentWriter(primary, format());
    tracker.track("dependent writer " + writer.runId(), writer::stop);
    writer.start();
    return new GroupUnderWrites(replicas, writer, secondary);
  }

  /**
   * Looks at the read-only secondary several times while east keeps writing: each time a new sync
   * must have landed, and no member may be ahead of one written before it.
   */
  private void checkTheSecondaryWhileWriting(GroupUnderWrites group, int cut) {
    long seen = 0;
    for (int check = 1; check <= STEADY_CHECKS; check++) {
      long before = seen;
      GroupSnapshot snapshot =
          waits.until(
              "west's copy of group " + group.replicas().peerGroup() + " holds more than " + before
                  + " dependent writes (a sync landed; east keeps writing)",
              TimeoutOperation.FIRST_SYNC,
              () -> GroupSnapshot.read(group.writer(), group.secondary()),
              s -> s.total() > before);
      assertThat(snapshot.noMemberAhead() && (!snapshot.settled() || snapshot.isContiguousPrefix()))
          .as("cut %d, look %d at the secondary while east writes: dependent writes must never appear"
                  + " inverted on west (no member ahead of one written before it, and a copy read at"
                  + " one point in time is a contiguous prefix); west holds:%n%s",
              cut, check, snapshot.describe())
          .isTrue();
      assertThat(group.writer().failure()).as("the dependent writer on east").isNull();
      seen = snapshot.total();
    }
  }

  private void removeAMemberOnWestAndKeepReplicating(PeerReplicas replicas, List<String> volumes) {
    String westGroup = replicas.peerGroup();
    List<String> onWest = volumes.stream().map(replicas::peerVolume).toList();
    List<String> remaining = onWest.subList(1, onWest.size());
    westGroups.mustModify(westGroup, remaining);
    assertThat(VolumeGroups.members(westGroups.mustGet(westGroup)))
        .as("west: ControllerGetVolumeGroup(%s) after removing %s", westGroup, onWest.get(0))
        .containsExactlyInAnyOrderElementsOf(remaining)
        .doesNotContain(onWest.get(0));

    Instant last = SyncTimes.awaitFirstSync(waits, west, replicas.peerSource());
    SyncTimes.awaitSyncAfter(waits, west, replicas.peerSource(), last, interval.multipliedBy(2));
    if (profile.claims(Capability.REPLICATION_DESTINATION_INFO)) {
      ReplicationDestination destination =
          waits.until("west: GetReplicationDestinationInfo of group " + westGroup + " maps exactly " + remaining,
              TimeoutOperation.REPLICATION_ESTABLISHED,
              () -> destinationOnWest(replicas),
              d -> d.getVolumegroup().getVolumeIdsMap().keySet().equals(java.util.Set.copyOf(remaining)));
      evidence.attach("destination of the changed group", destination.toString());
    }
  }

  // ---------------------------------------------------------------- helpers

  private List<String> createVolumes(String what, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(east.mustCreateVolume(Names.unique(what + i)));
    }
    return ids;
  }

  private ReplicationDestination destinationOnWest(PeerReplicas replicas) {
    return west.stubs()
        .replication()
        .getReplicationDestinationInfo(
            dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest.newBuilder()
                .setReplicationSource(replicas.peerSource())
                .putAllSecrets(west.secrets())
                .build())
        .getReplicationDestination();
  }

  private RecordFormat format() {
    return new RecordFormat(config.workload().recordSize());
  }

  private WriterReport writeRecords(VolumeIo volume, int count) {
    RecordWriter writer = RecordWriter.builder(BoundedVolume.of(volume), UUID.randomUUID()).format(format()).build();
    writer.writeRecords(count);
    return writer.report();
  }

  private Verification verify(VolumeIo volume, WriterReport written) {
    return new RecordVerifier(BoundedVolume.of(volume), format(), written.runId()).verify();
  }

  private void bringUp(DisasterInjector disasters) {
    if (disasters.isDown("east")) {
      disasters.bringUp("east");
    }
  }
}
