package dev.replcert.harness.workload.pod;

import dev.replcert.harness.workload.StopSignal;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The stop signal of a writer pod read straight from the API, for a kubelet that runs the workload
 * in-JVM (the lab's) instead of projecting the annotation into a file. A deleted pod stops too; an
 * API error does not.
 */
public final class PodAnnotationStopSignal implements StopSignal {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public PodAnnotationStopSignal(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public boolean requested() {
    try {
      Pod pod = client.pods().inNamespace(namespace).withName(name).get();
      if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
        return true;
      }
      var annotations = pod.getMetadata().getAnnotations();
      return annotations != null && "true".equals(annotations.get(WorkloadPods.STOP_ANNOTATION));
    } catch (KubernetesClientException e) {
      return false;
    }
  }
}
