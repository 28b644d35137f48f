package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.lab.substrate.RetryPolicy;
import dev.replcert.lab.substrate.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One level-triggered controller: an informer on a kind feeds a {@link WorkQueue} with {@code
 * namespace/name} keys (just {@code name} for cluster-scoped kinds); a failed reconcile is retried
 * after the fixed {@code errorRequeue}. As in csi-addons, an update
 * only triggers a reconcile when the generation changed or the deletion started; status writes do
 * not. The reconcile function reads the object itself and says when to look again.
 */
final class Controller<T extends HasMetadata> implements AutoCloseable {

  private final KubernetesClient client;
  private final Class<T> type;
  private final WorkQueue queue;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  Controller(
      KubernetesClient client,
      Class<T> type,
      Function<String, Optional<Duration>> reconcile,
      Duration errorRequeue) {
    this.client = client;
    this.type = type;
    this.queue =
        WorkQueue.builder("csi-addons-" + type.getSimpleName(), reconcile::apply)
            .retry(RetryPolicy.fixed(errorRequeue))
            .build();
  }

  static String key(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return namespace == null
        ? object.getMetadata().getName()
        : namespace + "/" + object.getMetadata().getName();
  }

  void enqueue(String key) {
    queue.add(key);
  }

  void start() {
    informers.add(
        client
            .resources(type)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<T>() {
                  @Override
                  public void onAdd(T obj) {
                    queue.add(key(obj));
                  }

                  @Override
                  public void onUpdate(T oldObj, T newObj) {
                    boolean generationChanged =
                        !Objects.equals(
                            oldObj.getMetadata().getGeneration(),
                            newObj.getMetadata().getGeneration());
                    boolean deletionStarted =
                        oldObj.getMetadata().getDeletionTimestamp() == null
                            && newObj.getMetadata().getDeletionTimestamp() != null;
                    if (generationChanged || deletionStarted) {
                      queue.add(key(newObj));
                    }
                  }

                  @Override
                  public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
                },
                0));
  }

  /** Another kind's events (any change) also wake some of this controller's keys. */
  <O extends HasMetadata> void watch(Class<O> other, Function<O, List<String>> keys) {
    Consumer<O> wake = o -> keys.apply(o).forEach(queue::add);
    informers.add(
        client
            .resources(other)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<O>() {
                  @Override
                  public void onAdd(O obj) {
                    wake.accept(obj);
                  }

                  @Override
                  public void onUpdate(O oldObj, O newObj) {
                    wake.accept(newObj);
                  }

                  @Override
                  public void onDelete(O obj, boolean deletedFinalStateUnknown) {
                    wake.accept(obj);
                  }
                },
                0));
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
    queue.close();
  }
}
