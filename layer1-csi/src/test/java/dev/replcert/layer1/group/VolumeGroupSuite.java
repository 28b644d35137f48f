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
import dev.replcert.layer1.support.VolumeWindow;
import dev.replcert.layer1.support.DependentWriter;
import dev.replcert.layer1.support.GroupSnapshot;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.PeerReplicas;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.SyncTimes;
import dev.replcert.layer1.support.Targets;
import dev.replcert.layer1.support.VolumeGroups;
import dev.replcert.harness.kube.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

  /** Looks at the secondary while the dependent writer runs, per group cut after a few syncs. */
  private static final int LOOKS = 3;

  /** Data each member holds before its group replicates: the initial copy ships it. */
  private static final long APPLICATION_DATA = 32L << 20;

  /** Fresh groups, each cut at a random moment (plan: three cut points). */
  private static final int CUT_POINTS = 3;

  private SiteDriver east;
  private SiteDriver west;
  private VolumeGroups eastGroups;
  private VolumeGroups westGroups;
  private Waits waits;
  private Waits eagerWaits;
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
    // for states a secondary shows only until the next sync lands
    this.eagerWaits =
        new Waits(config.timeoutProfile().withOverrides(Map.of(TimeoutOperation.POLL, Duration.ofMillis(10))));
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
    PeerReplicas replicas = PeerReplicas.ofGroup(east, west, groupId, volumes, config.timeoutProfile(), tracker);

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
      GroupUnderWrites group = liveGroupReplicatedUnderDependentWrites("vg-cut" + cut);
      // cut points: right after the initial copy landed, after a few syncs, at a random moment
      GroupSnapshot lastLook = checkTheSecondaryWhileWriting(group, cut, cut == 1 ? 1 : LOOKS);
      if (cut == CUT_POINTS) {
        Instant cutAt = Instant.now().plusMillis(ThreadLocalRandom.current().nextLong(interval.toMillis() + 1));
        waits.until("east writing past " + cutAt + " (a random moment within one sync interval)",
            TimeoutOperation.RPC, group.writer()::lastAckedAt, at -> at != null && at.isAfter(cutAt));
      }
      cutEastAndForcePromoteWest(group, cut, lastLook, disasters);
    }
  }

  @Test
  @PlanItem("L1-VG-003")
  @RequiresCapability({Capability.REPLICATION, Capability.VOLUME_GROUP, Capability.NODE_DATA_PATH})
  void membershipChangesTakeEffectOnThePeer() {
    List<String> volumes = createVolumes("vg-change", 4);
    List<String> initial = volumes.subList(0, 3);
    String groupId = eastGroups.mustCreate(Names.unique("vg-change"), initial).getVolumeGroupId();
    PeerReplicas replicas = PeerReplicas.ofGroup(east, west, groupId, volumes, config.timeoutProfile(), tracker);
    east.mustEnable(replicas.source());
    east.mustPromote(replicas.source(), false);
    Instant first = SyncTimes.awaitFirstSync(waits, east, replicas.source());
    SyncTimes.awaitSyncAfter(waits, east, replicas.source(), first, interval.multipliedBy(2));

    String fourth = volumes.get(3);
    assertThat(VolumeGroups.members(eastGroups.mustModify(groupId, volumes)))
        .as("east: ModifyVolumeGroupMembership(%s) adding %s answers with the full new set", groupId, fourth)
        .containsExactlyInAnyOrderElementsOf(volumes);
    WriterReport written = writeRecords(east.mustPublish(fourth, false), 64);
    // the new member's first sync: a group sync after its last write
    SyncTimes.awaitSyncAfter(waits, east, replicas.source(), written.lastAckedAt(), firstSync());
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

  /**
   * A group already in use when it starts to replicate, as an application's volumes are: each
   * member holds data and the dependent writer runs. Its initial copy is then the first thing west
   * must hold at one point in time, and the largest: a storage that copies members one after
   * another lets many dependent writes slip in between.
   */
  private GroupUnderWrites liveGroupReplicatedUnderDependentWrites(String what) {
    // written in the order of their ids: fixed and reproducible from the call log
    List<String> volumes = createVolumes(what, 3).stream().sorted().toList();
    String groupId = eastGroups.mustCreate(Names.unique(what), volumes).getVolumeGroupId();
    PeerReplicas replicas = PeerReplicas.ofGroup(east, west, groupId, volumes, config.timeoutProfile(), tracker);
    List<VolumeIo> primary = new ArrayList<>();
    for (String id : volumes) {
      primary.add(withApplicationData(east.mustPublish(id, false)));
    }
    DependentWriter writer = new DependentWriter(primary, format());
    tracker.track("dependent writer " + writer.runId(), writer::stop);
    writer.start();

    east.mustEnable(replicas.source());
    east.mustPromote(replicas.source(), false);
    replicas.learnPeerIds(profile, waits, volumes);
    List<VolumeIo> secondary = new ArrayList<>();
    for (String id : volumes) {
      secondary.add(publishReplica(replicas.peerVolume(id)));
    }
    return new GroupUnderWrites(replicas, writer, secondary);
  }

  /**
   * Looks at the read-only secondary while east keeps writing: first at the initial copy, then
   * after each further sync, each time until west shows new records read at one point in time (or
   * shows an inversion, which no read order can produce from a correct copy). No member may be
   * ahead of one written before it, and a copy read at one point in time is a contiguous prefix.
   * Returns the last look.
   */
  private GroupSnapshot checkTheSecondaryWhileWriting(GroupUnderWrites group, int cut, int looks) {
    GroupSnapshot snapshot = null;
    for (int look = 1; look <= looks; look++) {
      long seen = snapshot == null ? 0 : snapshot.total();
      // the first look is eager: a storage may show its initial copy only until the next sync lands
      snapshot = (look == 1 ? eagerWaits : waits).until(
          "west's copy of group " + group.replicas().peerGroup() + " holds more than " + seen
              + " dependent writes, read while no sync lands (east keeps writing)",
          TimeoutOperation.FIRST_SYNC, () -> GroupSnapshot.read(group.writer(), group.secondary()),
          s -> !s.noMemberAhead() || (s.settled() && s.total() > seen));
      evidence.attach("cut " + cut + ", look " + look + " at west", snapshot.describe());
      assertThat(snapshot.noMemberAhead() && (!snapshot.settled() || snapshot.isContiguousPrefix()))
          .as("cut %d, look %d at the secondary while east writes: group replication must keep all"
                  + " members at one point in time, so dependent writes never appear inverted on west (no"
                  + " member ahead of one written before it; a copy read at one point in time is a"
                  + " contiguous prefix); west holds:%n%s", cut, look, snapshot.describe())
          .isTrue();
      assertThat(group.writer().failure()).as("the dependent writer on east").isNull();
    }
    return snapshot;
  }

  /**
   * Takes east down mid-writes and force-promotes the group on west: its members must hold one
   * point in time (a contiguous prefix of the dependent writes), and at least what west showed
   * before the cut (force promote exposes the last applied sync). East comes back afterwards.
   */
  private void cutEastAndForcePromoteWest(
      GroupUnderWrites group, int cut, GroupSnapshot lastLook, DisasterInjector disasters) {
    disasters.takeDown("east");
    tracker.track("bring east back", () -> bringUp(disasters));
    List<WriterReport> written = group.writer().stop();
    west.mustPromote(group.replicas().peerSource(), true);

    GroupSnapshot promoted = GroupSnapshot.read(group.writer(), group.secondary());
    evidence.attach("cut " + cut + ": west after force promote", promoted.describe());
    evidence.measure("group.cut" + cut + ".rpo.records", promoted.lostRecords(written), "records");
    assertThat(promoted.isContiguousPrefix() && promoted.eachIsPrefixOf(written))
        .as("cut %d: after east went down and west force-promoted volume group %s, its members must"
                + " together hold a contiguous prefix of the dependent writes (group replication keeps all"
                + " members at one point in time, no member ahead of another); west holds:%n%s%nwriters: %s",
            cut, group.replicas().peerGroup(), promoted.describe(), written)
        .isTrue();
    assertThat(promoted.holdsAtLeast(lastLook))
        .as("cut %d: force promote must expose the last sync west applied, so west must still hold what it"
                + " showed before the cut:%n%s%nafter the promote it holds:%n%s", cut, lastLook.describe(),
            promoted.describe())
        .isTrue();
    bringUp(disasters);
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

  /** Fills each member past its record region, as far as the volume allows; returns the region. */
  private VolumeIo withApplicationData(VolumeIo volume) {
    long end = Math.min(volume.size(), VolumeWindow.DEFAULT_REGION + APPLICATION_DATA);
    byte[] chunk = new byte[2 << 20];
    Arrays.fill(chunk, (byte) 0x5a);
    for (long offset = VolumeWindow.DEFAULT_REGION; offset < end; offset += chunk.length) {
      volume.write(offset, offset + chunk.length <= end ? chunk : Arrays.copyOf(chunk, (int) (end - offset)));
    }
    volume.flush();
    return VolumeWindow.of(volume);
  }

  /** Publishes a replica on west read-only, once west has it (its region). */
  private VolumeIo publishReplica(String volumeId) {
    Object published =
        waits.until("west can publish its replica " + volumeId + " read-only", TimeoutOperation.FIRST_SYNC,
            () -> {
              try {
                return west.mustPublish(volumeId, true);
              } catch (AssertionError notYet) {
                return notYet.getMessage();
              }
            },
            p -> p instanceof VolumeIo);
    return VolumeWindow.of((VolumeIo) published);
  }

  private Duration firstSync() {
    return config.timeoutProfile().of(TimeoutOperation.FIRST_SYNC);
  }

  private RecordFormat format() {
    return new RecordFormat(config.workload().recordSize());
  }

  private WriterReport writeRecords(VolumeIo volume, int count) {
    RecordWriter writer = RecordWriter.builder(VolumeWindow.of(volume), UUID.randomUUID()).format(format()).build();
    writer.writeRecords(count);
    return writer.report();
  }

  private Verification verify(VolumeIo volume, WriterReport written) {
    return new RecordVerifier(VolumeWindow.of(volume), format(), written.runId()).verify();
  }

  private void bringUp(DisasterInjector disasters) {
    if (disasters.isDown("east")) {
      disasters.bringUp("east");
    }
  }
}
