package dev.replcert.orchestrator.hub;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.work.v1.ManifestWork;
import io.open_cluster_management.work.v1.ManifestWorkSpec;
import io.open_cluster_management.work.v1.manifestworkspec.DeleteOption;
import io.open_cluster_management.work.v1.manifestworkspec.Workload;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * ManifestWorks on the hub: how Ramen delivers objects to a managed cluster (the work agent of the
 * cluster named by the namespace applies the manifests). Writes happen only when the wanted
 * manifests differ from what the work holds, so a level-triggered pass writes nothing new.
 */
public final class ManifestWorks {

  private final KubernetesClient hub;
  private final KubernetesSerialization json;

  public ManifestWorks(KubernetesClient hub) {
    this.hub = hub;
    this.json = hub.getKubernetesSerialization();
  }

  public Optional<ManifestWork> find(String cluster, String name) {
    return Optional.ofNullable(
        hub.resources(ManifestWork.class).inNamespace(cluster).withName(name).get());
  }

  /** Creates the work or replaces its manifests; true when something was written. */
  public boolean apply(
      String cluster, String name, Map<String, String> labels, List<HasMetadata> objects) {
    return apply(cluster, name, labels, null, objects);
  }

  /**
   * As {@link #apply(String, String, Map, List)}, with annotations on a new work (Ramen puts the
   * owning DRPC's name and namespace there); an existing work keeps its metadata.
   */
  public boolean apply(
      String cluster,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<HasMetadata> objects) {
    return apply(cluster, name, labels, annotations, objects, null);
  }

  /**
   * As {@link #apply(String, String, Map, Map, List)} for a work whose resources outlive it: its
   * delete option is {@code Orphan}, so deleting the work leaves them on the cluster (Ramen's
   * Namespace work: the application's namespace must survive the DRPC).
   */
  public boolean applyOrphanedOnDelete(
      String cluster,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<HasMetadata> objects) {
    return apply(cluster, name, labels, annotations, objects, orphan());
  }

  private boolean apply(
      String cluster,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<HasMetadata> objects,
      DeleteOption deleteOption) {
    List<GenericKubernetesResource> manifests =
        objects.stream().map(o -> json.convertValue(o, GenericKubernetesResource.class)).toList();
    Optional<ManifestWork> existing = find(cluster, name);
    if (existing.isPresent()) {
      ManifestWork work = existing.get();
      List<GenericKubernetesResource> have =
          work.getSpec() == null || work.getSpec().getWorkload() == null
              ? null
              : work.getSpec().getWorkload().getManifests();
      if (Objects.equals(json.asJson(have), json.asJson(manifests))
          && Objects.equals(json.asJson(work.getSpec().getDeleteOption()), json.asJson(deleteOption))) {
        return false;
      }
      work.setSpec(spec(manifests, deleteOption));
      hub.resource(work).update();
      return true;
    }
    ManifestWork work = new ManifestWork();
    work.getMetadata().setName(name);
    work.getMetadata().setNamespace(cluster);
    work.getMetadata().setLabels(labels);
    work.getMetadata().setAnnotations(annotations);
    work.setSpec(spec(manifests, deleteOption));
    hub.resource(work).create();
    return true;
  }

  /** Deletes the work if it is there; true when a deletion was issued. */
  public boolean delete(String cluster, String name) {
    return find(cluster, name).map(w -> !hub.resource(w).delete().isEmpty()).orElse(false);
  }

  /**
   * Deletes the work leaving its resources on the cluster: a work without the {@code Orphan} delete
   * option gets it first (Ramen's DeleteNamespaceManifestWork); true when a deletion was issued.
   */
  public boolean deleteOrphaning(String cluster, String name) {
    Optional<ManifestWork> found = find(cluster, name);
    if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    ManifestWork work = found.get();
    DeleteOption option = work.getSpec() == null ? null : work.getSpec().getDeleteOption();
    if (option == null || option.getPropagationPolicy() != DeleteOption.PropagationPolicy.ORPHAN) {
      work.getSpec().setDeleteOption(orphan());
      work = hub.resource(work).update();
    }
    return !hub.resource(work).delete().isEmpty();
  }

  /** Every work labelled {@code key=value} in any cluster namespace. */
  public List<ManifestWork> labelled(String key, String value) {
    return hub.resources(ManifestWork.class).inAnyNamespace().withLabel(key, value).list()
        .getItems();
  }

  /** The manifest of {@code kind} the work delivers, as {@code type}. */
  public <T> Optional<T> manifest(ManifestWork work, String kind, Class<T> type) {
    if (work.getSpec() == null || work.getSpec().getWorkload() == null) {
      return Optional.empty();
    }
    return work.getSpec().getWorkload().getManifests().stream()
        .filter(m -> kind.equals(m.getKind()))
        .findFirst()
        .map(m -> json.convertValue(m, type));
  }

  private static ManifestWorkSpec spec(
      List<GenericKubernetesResource> manifests, DeleteOption deleteOption) {
    Workload workload = new Workload();
    workload.setManifests(manifests);
    ManifestWorkSpec spec = new ManifestWorkSpec();
    spec.setWorkload(workload);
    spec.setDeleteOption(deleteOption);
    return spec;
  }

  private static DeleteOption orphan() {
    DeleteOption option = new DeleteOption();
    option.setPropagationPolicy(DeleteOption.PropagationPolicy.ORPHAN);
    return option;
  }
}
