package dev.replcert.layer2.fencing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every version of the NetworkFences against one cluster ({@code network-fence-[<class>-]<cluster>})
 * an informer saw on the cluster that applies them: Ramen deletes
 * the fence's ManifestWork as soon as the fence reports Unfenced/Succeeded, so that state may last
 * less than a poll and is still on record here.
 */
final class FenceHistory implements AutoCloseable {

  private final String fenced;
  private final List<NetworkFence> seen = new ArrayList<>();
  private final SharedIndexInformer<NetworkFence> informer;

  FenceHistory(KubernetesClient cluster, String fenced) {
    this.fenced = fenced;
    this.informer = cluster.resources(NetworkFence.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(NetworkFence nf) {
        add(nf);
      }

      @Override
      public void onUpdate(NetworkFence before, NetworkFence nf) {
        add(nf);
      }

      @Override
      public void onDelete(NetworkFence nf, boolean unknownFinalState) {
        add(nf);
      }
    });
  }

  private synchronized void add(NetworkFence nf) {
    if (against(nf.getMetadata().getName(), fenced)) {
      seen.add(nf);
    }
  }

  /** Ramen's name of a NetworkFence against the cluster, with or without a class. */
  static boolean against(String name, String cluster) {
    return name.equals("network-fence-" + cluster)
        || name.startsWith("network-fence-") && name.endsWith("-" + cluster);
  }

  synchronized boolean any(Predicate<NetworkFence> test) {
    return seen.stream().anyMatch(test);
  }

  /** A version with that fence state and result. */
  static Predicate<NetworkFence> reports(String fenceState, String result) {
    return nf -> nf.getSpec() != null && nf.getSpec().getFenceState() != null
        && fenceState.equals(nf.getSpec().getFenceState().getValue()) && nf.getStatus() != null
        && nf.getStatus().getResult() != null && result.equals(nf.getStatus().getResult().getValue());
  }

  synchronized String describe() {
    StringBuilder text = new StringBuilder();
    seen.forEach(nf -> text.append(line(nf)).append('\n'));
    return text.toString();
  }

  static String line(NetworkFence nf) {
    if (nf == null) {
      return "absent";
    }
    return nf.getMetadata().getName() + " rv " + nf.getMetadata().getResourceVersion() + " deleting "
        + (nf.getMetadata().getDeletionTimestamp() != null) + " spec " + (nf.getSpec() == null ? null
            : nf.getSpec().getFenceState() + " " + nf.getSpec().getCidrs()) + " | result "
        + (nf.getStatus() == null ? null : nf.getStatus().getResult() + " \"" + nf.getStatus().getMessage() + "\"")
        + " conditions " + (nf.getStatus() == null || nf.getStatus().getConditions() == null ? "[]"
            : nf.getStatus().getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList())
        + " (" + Objects.toString(nf.getMetadata().getCreationTimestamp(), "") + ")";
  }

  @Override
  public void close() {
    informer.close();
  }
}
