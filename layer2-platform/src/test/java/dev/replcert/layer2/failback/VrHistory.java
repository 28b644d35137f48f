package dev.replcert.layer2.failback;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every version of the VolumeReplications in a namespace that an informer saw: states that last
 * less than a poll (a VR the VRG deletes once it is ready as secondary) are still on record.
 */
final class VrHistory implements AutoCloseable {

  private final List<VolumeReplication> seen = new ArrayList<>();
  private final SharedIndexInformer<VolumeReplication> informer;

  VrHistory(KubernetesClient client, String namespace) {
    this.informer = client.resources(VolumeReplication.class).inNamespace(namespace)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(VolumeReplication vr) {
            add(vr);
          }

          @Override
          public void onUpdate(VolumeReplication before, VolumeReplication vr) {
            add(vr);
          }

          @Override
          public void onDelete(VolumeReplication vr, boolean unknownFinalState) {
            add(vr);
          }
        });
  }

  private synchronized void add(VolumeReplication vr) {
    seen.add(vr);
  }

  /** Whether some recorded version of the claim's VR satisfies {@code test}. */
  synchronized boolean any(String claim, Predicate<VolumeReplication> test) {
    return seen.stream().filter(vr -> claim.equals(vr.getMetadata().getName())).anyMatch(test);
  }

  /** One line per version, oldest first. */
  synchronized String describe() {
    StringBuilder text = new StringBuilder();
    for (VolumeReplication vr : seen) {
      text.append(vr.getMetadata().getName()).append(" gen ").append(vr.getMetadata().getGeneration())
          .append(" spec ").append(vr.getSpec().getReplicationState()).append(" autoResync ")
          .append(vr.getSpec().getAutoResync()).append(" deleting ")
          .append(vr.getMetadata().getDeletionTimestamp() != null).append(" | state ")
          .append(vr.getStatus() == null ? null : vr.getStatus().getState()).append(" observed ")
          .append(vr.getStatus() == null ? null : vr.getStatus().getObservedGeneration()).append(' ')
          .append(conditions(vr)).append('\n');
    }
    return text.toString();
  }

  static List<String> conditions(VolumeReplication vr) {
    return vr.getStatus() == null || vr.getStatus().getConditions() == null ? List.of()
        : vr.getStatus().getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + "@" + c.getObservedGeneration())
            .toList();
  }

  /** The condition has that status at the VR's generation. */
  static boolean has(VolumeReplication vr, String type, String status) {
    if (vr.getStatus() == null || vr.getStatus().getConditions() == null) {
      return false;
    }
    for (Condition c : vr.getStatus().getConditions()) {
      if (type.equals(c.getType()) && status.equals(c.getStatus())
          && Objects.equals(c.getObservedGeneration(), vr.getMetadata().getGeneration())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    informer.close();
  }
}
