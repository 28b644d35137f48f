package dev.replcert.refdriver.grpc;

import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupResponse;
import dev.replcert.api.csiaddons.volumegroup.ControllerGrpc;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupResponse;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupResponse;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsRequest;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsResponse;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipResponse;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.site.VolumeGroupInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** csi-addons volumegroup.Controller: groups whose members replicate at one point in time. */
public final class VolumeGroupService extends ControllerGrpc.ControllerImplBase {

  private final Facade facade;

  public VolumeGroupService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void createVolumeGroup(CreateVolumeGroupRequest request, StreamObserver<CreateVolumeGroupResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          String name = Require.nonEmpty(request.getName(), "name");
          VolumeGroupInfo group =
              facade
                  .locks()
                  .withLock(
                      name,
                      () -> facade.site().createGroup(name, request.getVolumeIdsList(), request.getParametersMap()));
          return CreateVolumeGroupResponse.newBuilder().setVolumeGroup(Protos.group(group)).build();
        });
  }

  @Override
  public void modifyVolumeGroupMembership(
      ModifyVolumeGroupMembershipRequest request, StreamObserver<ModifyVolumeGroupMembershipResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          String id = Require.nonEmpty(request.getVolumeGroupId(), "volume_group_id");
          VolumeGroupInfo group =
              facade.locks().withLock(id, () -> facade.site().modifyGroup(id, request.getVolumeIdsList()));
          return ModifyVolumeGroupMembershipResponse.newBuilder().setVolumeGroup(Protos.group(group)).build();
        });
  }

  @Override
  public void deleteVolumeGroup(DeleteVolumeGroupRequest request, StreamObserver<DeleteVolumeGroupResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          String id = Require.nonEmpty(request.getVolumeGroupId(), "volume_group_id");
          facade.locks().withLock(id, () -> facade.site().deleteGroup(id));
          return DeleteVolumeGroupResponse.getDefaultInstance();
        });
  }

  @Override
  public void controllerGetVolumeGroup(
      ControllerGetVolumeGroupRequest request, StreamObserver<ControllerGetVolumeGroupResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          String id = Require.nonEmpty(request.getVolumeGroupId(), "volume_group_id");
          return ControllerGetVolumeGroupResponse.newBuilder()
              .setVolumeGroup(Protos.group(facade.site().group(id)))
              .build();
        });
  }

  @Override
  public void listVolumeGroups(ListVolumeGroupsRequest request, StreamObserver<ListVolumeGroupsResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          List<VolumeGroupInfo> sorted =
              facade.site().listGroups().stream().sorted(Comparator.comparing(VolumeGroupInfo::groupId)).toList();
          Paging<VolumeGroupInfo> page = Paging.of(sorted, request.getMaxEntries(), request.getStartingToken());
          ListVolumeGroupsResponse.Builder list = ListVolumeGroupsResponse.newBuilder().setNextToken(page.nextToken());
          page.page()
              .forEach(g -> list.addEntries(ListVolumeGroupsResponse.Entry.newBuilder().setVolumeGroup(Protos.group(g))));
          return list.build();
        });
  }

  private <T> void call(StreamObserver<T> responses, Map<String, String> secrets, Supplier<T> body) {
    Rpc.unary(
        responses,
        () -> {
          if (facade.has(Defect.CAPABILITIES_OVERSTATED)) {
            throw Status.UNIMPLEMENTED.withDescription("volume groups are not implemented").asRuntimeException();
          }
          facade.checkSecrets(secrets);
          return body.get();
        });
  }
}
