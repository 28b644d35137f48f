package dev.replcert.lab.substrate.csiaddons;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContentStatus;
import java.util.function.Consumer;

/**
 * Read-modify-write of a VolumeGroupReplicationContent's status. Two controllers write it, each on
 * its own thread: the content's (membership) and the group VR's (destinations). Their writes are
 * serialised here and each starts from the object as stored, so neither loses the other's fields.
 */
final class ContentStatusWriter {

  private final KubernetesClient client;

  ContentStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Applies {@code change} to the stored status of content {@code name}; nothing if it is gone. */
  synchronized void edit(String name, Consumer<VolumeGroupReplicationContentStatus> change) {
    VolumeGroupReplicationContent fresh =
        client.resources(VolumeGroupReplicationContent.class).withName(name).get();
    if (fresh == null) {
      return;
    }
    VolumeGroupReplicationContentStatus status =
        fresh.getStatus() == null ? new VolumeGroupReplicationContentStatus() : fresh.getStatus();
    change.accept(status);
    fresh.setStatus(status);
    client.resource(fresh).updateStatus();
  }
}
