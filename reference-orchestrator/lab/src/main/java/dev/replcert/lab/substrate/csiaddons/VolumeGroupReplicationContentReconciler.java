package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csiaddons.volumegroup.ControllerGrpc;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import dev.replcert.api.k8s.CsiAddons;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentstatus.PersistentVolumeMappingList;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * VolumeGroupReplicationContent (cluster-scoped) → volumegroup.Controller: CreateVolumeGroup(name,
 * handles) once (the group id goes to {@code spec.volumeGroupReplicationHandle}),
 * ModifyVolumeGroupMembership when {@code spec.source.volumeHandles} differs from what was applied
 * ({@code status.persistentVolumeMappingList}), DeleteVolumeGroup on delete (NOT_FOUND tolerated).
 */
final class VolumeGroupReplicationContentReconciler {

  private final KubernetesClient client;
  private final ControllerGrpc.ControllerBlockingStub groups;
  private final String driverName;
  private final ControllerTiming timing;
  private final Duration rpcTimeout;
  private final ContentStatusWriter statusWriter;

  VolumeGroupReplicationContentReconciler(
      KubernetesClient client,
      Channel channel,
      String driverName,
      ControllerTiming timing,
      Duration rpcTimeout,
      ContentStatusWriter statusWriter) {
    this.client = client;
    this.statusWriter = statusWriter;
    this.groups = ControllerGrpc.newBlockingStub(channel);
    this.driverName = driverName;
    this.timing = timing;
    this.rpcTimeout = rpcTimeout;
  }

  private ControllerGrpc.ControllerBlockingStub stub() {
    return groups.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  Optional<Duration> reconcile(String name) {
    var resource = client.resources(VolumeGroupReplicationContent.class).withName(name);
    VolumeGroupReplicationContent content = resource.get();
    if (content == null) {
      return Optional.empty();
    }
    VolumeGroupReplicationClass vgrc =
        client
            .resources(VolumeGroupReplicationClass.class)
            .withName(content.getSpec().getVolumeGroupReplicationClassName())
            .get();
    boolean deleting = content.getMetadata().getDeletionTimestamp() != null;
    if (vgrc == null || !driverName.equals(vgrc.getSpec().getProvisioner())) {
      if (deleting) {
        removeFinalizer(name);
        return Optional.empty();
      }
      throw new IllegalStateException(
          "volume group replication class of " + name + " not found or not for " + driverName);
    }
    ClassParameters parameters = ClassParameters.replication(vgrc.getSpec().getParameters(), true);
    Map<String, String> secrets = parameters.secrets(client);
    String groupId = content.getSpec().getVolumeGroupReplicationHandle();
    if (deleting) {
      if (groupId != null && !groupId.isEmpty()) {
        try {
          stub()
              .deleteVolumeGroup(
                  DeleteVolumeGroupRequest.newBuilder()
                      .setVolumeGroupId(groupId)
                      .putAllSecrets(secrets)
                      .build());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
            throw e;
          }
        }
      }
      removeFinalizer(name);
      return Optional.empty();
    }
    if (!content.getMetadata().getFinalizers().contains(CsiAddons.VR_FINALIZER)) {
      resource.edit(
          c -> {
            if (!c.getMetadata().getFinalizers().contains(CsiAddons.VR_FINALIZER)) {
              c.getMetadata().getFinalizers().add(CsiAddons.VR_FINALIZER);
            }
            return c;
          });
    }
    List<String> handles =
        content.getSpec().getSource() == null
                || content.getSpec().getSource().getVolumeHandles() == null
            ? List.of()
            : content.getSpec().getSource().getVolumeHandles();
    if (groupId == null || groupId.isEmpty()) {
      String created =
          stub()
              .createVolumeGroup(
                  CreateVolumeGroupRequest.newBuilder()
                      .setName(name)
                      .putAllParameters(parameters.driverParameters())
                      .putAllSecrets(secrets)
                      .addAllVolumeIds(handles)
                      .build())
              .getVolumeGroup()
              .getVolumeGroupId();
      resource.edit(
          c -> {
            c.getSpec().setVolumeGroupReplicationHandle(created);
            return c;
          });
      writeStatus(name, handles);
      return Optional.empty();
    }
    Set<String> applied =
        content.getStatus() == null || content.getStatus().getPersistentVolumeMappingList() == null
            ? Set.of()
            : content.getStatus().getPersistentVolumeMappingList().stream()
                .map(PersistentVolumeMappingList::getVolumeHandle)
                .collect(Collectors.toSet());
    if (!applied.equals(new HashSet<>(handles))) {
      stub()
          .modifyVolumeGroupMembership(
              ModifyVolumeGroupMembershipRequest.newBuilder()
                  .setVolumeGroupId(groupId)
                  .addAllVolumeIds(handles)
                  .putAllParameters(parameters.driverParameters())
                  .putAllSecrets(secrets)
                  .build());
      writeStatus(name, handles);
    }
    return Optional.empty();
  }

  private void removeFinalizer(String name) {
    client
        .resources(VolumeGroupReplicationContent.class)
        .withName(name)
        .edit(
            c -> {
              c.getMetadata().getFinalizers().remove(CsiAddons.VR_FINALIZER);
              return c;
            });
  }

  /**
   * The mapping of the members as applied; a member that stays keeps the destination the group VR
   * found for it.
   */
  private void writeStatus(String name, List<String> handles) {
    Map<String, String> pvByHandle =
        client.persistentVolumes().list().getItems().stream()
            .filter(
                pv ->
                    pv.getSpec().getCsi() != null
                        && driverName.equals(pv.getSpec().getCsi().getDriver()))
            .collect(
                Collectors.toMap(
                    (PersistentVolume pv) -> pv.getSpec().getCsi().getVolumeHandle(),
                    pv -> pv.getMetadata().getName(),
                    (a, b) -> a));
    statusWriter.edit(
        name,
        status -> {
          Map<String, String> destinations = new HashMap<>();
          if (status.getPersistentVolumeMappingList() != null) {
            for (PersistentVolumeMappingList m : status.getPersistentVolumeMappingList()) {
              if (m.getDestinationVolumeHandle() != null) {
                destinations.put(m.getVolumeHandle(), m.getDestinationVolumeHandle());
              }
            }
          }
          status.setPersistentVolumeMappingList(
              handles.stream()
                  .map(
                      h -> {
                        PersistentVolumeMappingList m = new PersistentVolumeMappingList();
                        m.setName(pvByHandle.get(h));
                        m.setVolumeHandle(h);
                        m.setDestinationVolumeHandle(destinations.get(h));
                        return m;
                      })
                  .toList());
        });
  }
}
