package dev.replcert.lab.substrate;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Locale;

/**
 * Records core/v1 Events about objects the way the API server's event recorder aggregates them: the
 * same reason and message on the same object bumps {@code count} and {@code lastTimestamp} instead
 * of adding an event per retry, so a pod retrying a failed mount does not flood the namespace.
 */
public final class Events {

  private final KubernetesClient client;
  private final String component;

  public Events(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    // events about cluster-scoped objects (PVs, nodes) go to default, as the recorder puts them
    String objectNamespace = about.getMetadata().getNamespace();
    String namespace = objectNamespace == null ? "default" : objectNamespace;
    String name =
        about.getMetadata().getName()
            + "."
            + Integer.toHexString((reason + "\n" + message).hashCode()).toLowerCase(Locale.ROOT);
    String now = Instant.now().toString();
    try {
      var events = client.v1().events().inNamespace(namespace);
      var existing = events.withName(name).get();
      if (existing != null) {
        existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
        existing.setLastTimestamp(now);
        events.resource(existing).update();
        return;
      }
      events
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withNamespace(objectNamespace)
                          .withName(about.getMetadata().getName())
                          .withUid(about.getMetadata().getUid())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withCount(1)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withNewSource()
                  .withComponent(component)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException | IllegalArgumentException e) {
      // an event is best effort, as in Kubernetes: it must not fail the reconcile that wrote it
    }
  }
}
