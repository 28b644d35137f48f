package dev.replcert.harness.kube;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.track.ResourceTracker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The tracking client of one cluster: every object created through {@link #create} is deleted at
 * the test's cleanup, newest first, and the cleanup waits until it is really gone (finalizers of
 * the csi-addons controller and the provisioner run first), so the next test starts on a clean
 * cluster. "Already gone" counts as cleaned up.
 */
public final class KubeResources {

  private final String site;
  private final KubernetesClient client;
  private final ResourceTracker tracker;
  private final Waits waits;

  public KubeResources(String site, KubernetesClient client, ResourceTracker tracker, Waits waits) {
    this.site = site;
    this.client = client;
    this.tracker = tracker;
    this.waits = waits;
  }

  public String site() {
    return site;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Creates the object and registers its deletion; returns what the API server stored. */
  public <T extends HasMetadata> T create(T resource) {
    T created = client.resource(resource).create();
    String what = describe(created);
    return tracker.track(what, created, () -> deleteAndAwaitGone(created, what));
  }

  /**
   * A cleanup step of the test's own (e.g. unfence before a NetworkFence is deleted): it runs
   * before the cleanup of everything created so far.
   */
  public void onCleanup(String what, Runnable step) {
    tracker.track(what + " on " + site, step::run);
  }

  /** Deletes now (the test's own step); the tracked cleanup then finds it gone. */
  public <T extends HasMetadata> void delete(T resource) {
    client.resource(resource).delete();
  }

  /** The object as stored now, or null once it is gone. */
  public <T extends HasMetadata> T get(T resource) {
    return client.resource(resource).get();
  }

  private <T extends HasMetadata> void deleteAndAwaitGone(T resource, String what) {
    try {
      client.resource(resource).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    waits.until(what + " is gone", TimeoutOperation.CLEANUP, () -> Stored.of(client.resource(resource).get()),
        Stored::gone);
  }

  public String describe(HasMetadata resource) {
    String namespace = resource.getMetadata().getNamespace();
    return resource.getKind() + " " + site + "/" + (namespace == null ? "" : namespace + "/")
        + resource.getMetadata().getName();
  }

  /** What a wait for deletion saw last: the object's deletion state and finalizers. */
  private record Stored(HasMetadata object) {
    static Stored of(HasMetadata object) {
      return new Stored(object);
    }

    boolean gone() {
      return object == null;
    }

    @Override
    public String toString() {
      return object == null
          ? "gone"
          : "still there (deletionTimestamp " + object.getMetadata().getDeletionTimestamp()
              + ", finalizers " + object.getMetadata().getFinalizers() + ")";
    }
  }
}
