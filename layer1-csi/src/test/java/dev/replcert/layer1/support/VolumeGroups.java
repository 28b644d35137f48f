package dev.replcert.layer1.support;

import static dev.replcert.layer1.support.RpcCalls.must;

import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import dev.replcert.api.csiaddons.volumegroup.VolumeGroup;
import dev.replcert.harness.track.ResourceTracker;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * csi-addons volumegroup.Controller on one site, as a test uses it: groups it creates are deleted
 * at cleanup (after their replication is disabled, since cleanup runs newest first).
 */
public final class VolumeGroups {

  private final SiteDriver site;
  private final ResourceTracker tracker;

  public VolumeGroups(SiteDriver site, ResourceTracker tracker) {
    this.site = site;
    this.tracker = tracker;
  }

  /** The replication source of a group: {@code replication_source.volumegroup}. */
  public static ReplicationSource source(String groupId) {
    return ReplicationSource.newBuilder()
        .setVolumegroup(ReplicationSource.VolumeGroupSource.newBuilder().setVolumeGroupId(groupId))
        .build();
  }

  /** The member volume ids of a group, sorted. */
  public static Set<String> members(VolumeGroup group) {
    Set<String> ids = new TreeSet<>();
    group.getVolumesList().forEach(v -> ids.add(v.getVolumeId()));
    return ids;
  }

  public CreateVolumeGroupRequest createRequest(String name, List<String> volumeIds) {
    return CreateVolumeGroupRequest.newBuilder()
        .setName(name)
        .addAllVolumeIds(volumeIds)
        .putAllSecrets(site.secrets())
        .build();
  }

  /** CreateVolumeGroup; the group is deleted at cleanup. */
  public VolumeGroup mustCreate(String name, List<String> volumeIds) {
    VolumeGroup group =
        must(
            site.site(),
            "CreateVolumeGroup " + name + " " + volumeIds,
            () -> site.stubs().volumeGroups().createVolumeGroup(createRequest(name, volumeIds)))
            .getVolumeGroup();
    String id = group.getVolumeGroupId();
    tracker.track("volume group " + id + " on " + site.site(), () -> delete(site, id));
    return group;
  }

  public VolumeGroup mustGet(String groupId) {
    return must(
            site.site(),
            "ControllerGetVolumeGroup " + groupId,
            () ->
                site.stubs()
                    .volumeGroups()
                    .controllerGetVolumeGroup(
                        ControllerGetVolumeGroupRequest.newBuilder()
                            .setVolumeGroupId(groupId)
                            .putAllSecrets(site.secrets())
                            .build()))
        .getVolumeGroup();
  }

  /** ModifyVolumeGroupMembership with the full desired member set. */
  public VolumeGroup mustModify(String groupId, List<String> volumeIds) {
    return must(
            site.site(),
            "ModifyVolumeGroupMembership " + groupId + " to " + volumeIds,
            () ->
                site.stubs()
                    .volumeGroups()
                    .modifyVolumeGroupMembership(
                        ModifyVolumeGroupMembershipRequest.newBuilder()
                            .setVolumeGroupId(groupId)
                            .addAllVolumeIds(volumeIds)
                            .putAllSecrets(site.secrets())
                            .build()))
        .getVolumeGroup();
  }

  /** DeleteVolumeGroup; a group that is gone already is fine. */
  public static void delete(SiteDriver site, String groupId) {
    RpcCalls.ignoringNotFound(
        () ->
            site.stubs()
                .volumeGroups()
                .deleteVolumeGroup(
                    DeleteVolumeGroupRequest.newBuilder()
                        .setVolumeGroupId(groupId)
                        .putAllSecrets(site.secrets())
                        .build()));
  }
}
