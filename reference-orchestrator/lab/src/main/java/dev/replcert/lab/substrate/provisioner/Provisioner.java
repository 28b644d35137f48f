package dev.replcert.lab.substrate.provisioner;

import dev.replcert.lab.substrate.WorkQueue;
import dev.replcert.lab.substrate.Events;
import dev.replcert.lab.substrate.SiteDriver;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The lab's external-provisioner and PV controller for one cluster: dynamic provisioning for claims
 * of the driver's StorageClasses, binding (also of pre-bound and pre-created PVs, which is how DR
 * restores PVs), pvc-protection, and release and reclaim on claim deletion. Level-triggered: every
 * reconcile starts from what the API server holds now, so a restart picks up where it was.
 */
public final class Provisioner implements AutoCloseable {

  /** Informers resync this often: the safety net under the event-driven reconciles. */
  private static final long RESYNC_MILLIS = 5_000;

  private final KubernetesClient client;
  private final SiteDriver driver;
  private final Duration startTimeout;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private WorkQueue loop;

  public Provisioner(KubernetesClient client, SiteDriver driver, Duration startTimeout) {
    this.client = client;
    this.driver = driver;
    this.startTimeout = startTimeout;
  }

  /** Asks the driver its name (waiting for it to answer), then watches claims, volumes and pods. */
  public synchronized Provisioner start() {
    CsiProvisioning csi = new CsiProvisioning(driver, driver.driverName(startTimeout));
    Events events = new Events(client, "replcert-lab-provisioner");
    ClaimReconciler claims = new ClaimReconciler(client, csi, events);
    VolumeReconciler volumes = new VolumeReconciler(client, csi, events);
    loop =
        WorkQueue.builder(
                "lab-provisioner",
                key -> {
                  String[] parts = key.split("/");
                  return parts[0].equals("pv")
                      ? volumes.reconcile(parts[1], loop::add)
                      : claims.reconcile(parts[1], parts[2]);
                })
            .build();
    informers.add(
        client
            .persistentVolumeClaims()
            .inAnyNamespace()
            .inform(handler(this::claimChanged), RESYNC_MILLIS));
    informers.add(client.persistentVolumes().inform(handler(this::volumeChanged), RESYNC_MILLIS));
    informers.add(client.pods().inAnyNamespace().inform(handler(this::podChanged), RESYNC_MILLIS));
    return this;
  }

  /** A claim's change may release its volume (a deleted claim is the PV's business). */
  private void claimChanged(PersistentVolumeClaim pvc) {
    loop.add(Claims.key(pvc));
    String volumeName = pvc.getSpec() == null ? null : pvc.getSpec().getVolumeName();
    if (volumeName != null && !volumeName.isEmpty()) {
      loop.add("pv/" + volumeName);
    }
  }

  private void volumeChanged(PersistentVolume pv) {
    loop.add("pv/" + pv.getMetadata().getName());
    var ref = pv.getSpec().getClaimRef();
    if (ref != null && ref.getNamespace() != null && ref.getName() != null) {
      loop.add(Claims.key(ref.getNamespace(), ref.getName()));
    }
  }

  /** A pod that finished or went away may be what kept a deleted claim's protection finalizer. */
  private void podChanged(Pod pod) {
    Claims.claimNames(pod)
        .forEach(c -> loop.add(Claims.key(pod.getMetadata().getNamespace(), c)));
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> onAny) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onAny.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onAny.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onAny.accept(obj);
      }
    };
  }

  @Override
  public synchronized void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
    if (loop != null) {
      loop.close();
    }
  }

  static Optional<Duration> done() {
    return Optional.empty();
  }
}
