package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.Ocm;
import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.view.v1beta1.ManagedClusterViewSpec;
import io.open_cluster_management.view.v1beta1.managedclusterviewspec.Scope;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reading managed-cluster objects from the hub as Ramen does: a ManagedClusterView per object in
 * the cluster's namespace, whose {@code status.result} the view agent fills. A view is created on
 * first use and kept (the agent refreshes it); its answer is one of {@link Seen}.
 */
public final class ManagedClusterViews {

  /** What a view says about the object it watches. */
  public sealed interface Seen<T> {}

  /** The agent has not answered yet (new view, or a view whose scope just changed). */
  public record Pending<T>() implements Seen<T> {}

  /** The object as last read on the cluster. */
  public record Found<T>(T object) implements Seen<T> {}

  /** The agent read the cluster and the object is not there (or could not be read). */
  public record Missing<T>(String message) implements Seen<T> {}

  private final KubernetesClient hub;
  private final KubernetesSerialization json;

  public ManagedClusterViews(KubernetesClient hub) {
    this.hub = hub;
    this.json = hub.getKubernetesSerialization();
  }

  /** Ensures the view exists with this scope and returns what it currently says. */
  public <T> Seen<T> view(
      String cluster, String viewName, Scope scope, Map<String, String> labels, Class<T> type) {
    return view(cluster, viewName, scope, labels, null, type);
  }

  /**
   * As {@link #view(String, String, Scope, Map, Class)}, with annotations on a new view (Ramen puts
   * the owning DRPC's name and namespace there).
   */
  public <T> Seen<T> view(
      String cluster,
      String viewName,
      Scope scope,
      Map<String, String> labels,
      Map<String, String> annotations,
      Class<T> type) {
    ManagedClusterView view =
        hub.resources(ManagedClusterView.class).inNamespace(cluster).withName(viewName).get();
    if (view == null) {
      view = new ManagedClusterView();
      view.getMetadata().setName(viewName);
      view.getMetadata().setNamespace(cluster);
      view.getMetadata().setLabels(labels);
      view.getMetadata().setAnnotations(annotations);
      ManagedClusterViewSpec spec = new ManagedClusterViewSpec();
      spec.setScope(scope);
      view.setSpec(spec);
      hub.resource(view).create();
      return new Pending<>();
    }
    if (view.getSpec() == null || !sameTarget(view.getSpec().getScope(), scope)) {
      ManagedClusterViewSpec spec = new ManagedClusterViewSpec();
      spec.setScope(scope);
      view.setSpec(spec);
      hub.resource(view).update();
      return new Pending<>();
    }
    return seen(view, type);
  }

  public boolean delete(String cluster, String viewName) {
    return !hub.resources(ManagedClusterView.class)
        .inNamespace(cluster)
        .withName(viewName)
        .delete()
        .isEmpty();
  }

  /**
   * The agent's answer, trusted only for the view's current generation: Processing True with a
   * result is the object, False is its absence (the agent's "not found" or read error).
   */
  private <T> Seen<T> seen(ManagedClusterView view, Class<T> type) {
    if (view.getStatus() == null) {
      return new Pending<>();
    }
    var processing =
        Conditions.find(view.getStatus().getConditions(), Ocm.VIEW_CONDITION_PROCESSING)
            .filter(
                c ->
                    c.getObservedGeneration() == null
                        || Objects.equals(
                            c.getObservedGeneration(), view.getMetadata().getGeneration()));
    if (processing.isEmpty()) {
      return new Pending<>();
    }
    if ("True".equals(processing.get().getStatus()) && view.getStatus().getResult() != null) {
      return new Found<>(json.convertValue(view.getStatus().getResult(), type));
    }
    return "False".equals(processing.get().getStatus())
        ? new Missing<T>(Optional.ofNullable(processing.get().getMessage()).orElse(""))
        : new Pending<>();
  }

  private static boolean sameTarget(Scope have, Scope want) {
    return have != null
        && Objects.equals(have.getApiGroup(), want.getApiGroup())
        && Objects.equals(have.getVersion(), want.getVersion())
        && Objects.equals(have.getKind(), want.getKind())
        && Objects.equals(have.getName(), want.getName())
        && Objects.equals(have.getNamespace(), want.getNamespace());
  }
}
