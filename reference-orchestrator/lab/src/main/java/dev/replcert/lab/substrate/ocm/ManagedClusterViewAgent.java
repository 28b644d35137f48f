package dev.replcert.lab.substrate.ocm;

import dev.replcert.api.k8s.Ocm;
import dev.replcert.lab.substrate.WorkQueue;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.view.v1beta1.ManagedClusterViewStatus;
import io.open_cluster_management.view.v1beta1.managedclusterviewspec.Scope;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OCM's view agent (multicloud-operators-foundation) for one managed cluster: every
 * ManagedClusterView in the hub namespace named after the cluster gets the resource its {@code
 * spec.scope} names copied from the cluster into {@code status.result}, with one condition {@value
 * Ocm#VIEW_CONDITION_PROCESSING}: True / {@value #REASON_PROCESSING} when the resource was read,
 * False / {@value #REASON_FAILED} with the API server's error (and no result) when it was not.
 * Views are read again every resync period (the lab's scaled {@code updateIntervalSeconds}) and
 * whenever the viewed resource changes (an informer per viewed kind on the managed cluster), so
 * the result follows the resource. While the cluster does not answer the view keeps its last
 * status.
 */
final class ManagedClusterViewAgent implements AutoCloseable {

  static final String REASON_PROCESSING = "GetResourceProcessing";
  static final String REASON_FAILED = "GetResourceFailed";
  static final String REASON_GVK_INVALID = "ResourceGVKInvalid";
  static final String REASON_NAME_INVALID = "ResourceNameInvalid";

  private final String cluster;
  private final KubernetesClient hub;
  private final KubernetesClient managed;
  private final Clock clock;
  private final KubernetesSerialization json;
  private final RestMapper mapper;
  private final WorkQueue loop;
  private SharedIndexInformer<ManagedClusterView> informer;
  /** Informers on the managed cluster, one per viewed kind ({@code plural.group}). */
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> watches = new ConcurrentHashMap<>();
  /** What each view looks at: {@code plural.group/namespace/name}. */
  private final Map<String, String> targets = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ManagedClusterViewAgent(
      String cluster, KubernetesClient hub, KubernetesClient managed, OcmTiming timing, Clock clock) {
    this.cluster = cluster;
    this.hub = hub;
    this.managed = managed;
    this.clock = clock;
    this.json = hub.getKubernetesSerialization();
    this.mapper = new RestMapper(cluster, managed);
    this.loop = ResyncQueues.of("ocm-view-agent-" + cluster, timing.resync(), this::names, this::reconcile);
  }

  void start() {
    informer =
        hub.resources(ManagedClusterView.class)
            .inNamespace(cluster)
            .inform(new ManifestWorkAgent.Enqueue<>(loop), 0);
    loop.start();
  }

  private List<String> names() {
    return informer == null
        ? List.of()
        : informer.getStore().list().stream().map(v -> v.getMetadata().getName()).toList();
  }

  void reconcile(String name) {
    ManagedClusterView view = hub.resources(ManagedClusterView.class).inNamespace(cluster).withName(name).get();
    if (view == null || view.getMetadata().getDeletionTimestamp() != null) {
      targets.remove(name);
      return;
    }
    Long generation = view.getMetadata().getGeneration();
    Scope scope = view.getSpec() == null ? null : view.getSpec().getScope();
    GenericKubernetesResource result = null;
    Condition condition;
    if (scope == null || scope.getName() == null || scope.getName().isEmpty()) {
      condition = Conditions.of(Ocm.VIEW_CONDITION_PROCESSING, "False", REASON_NAME_INVALID, "the scope of the view has no name", generation);
    } else {
      Optional<ResourceDefinitionContext> context;
      try {
        context = mapper.forScope(scope.getApiGroup(), scope.getVersion(), scope.getKind(), scope.getResource());
      } catch (KubernetesClientException e) {
        throw ClusterUnreachable.classify(cluster, e);
      }
      if (context.isEmpty()) {
        condition =
            Conditions.of(Ocm.VIEW_CONDITION_PROCESSING, "False", REASON_GVK_INVALID,
                "failed to get resource with err: the server doesn't have a resource type "
                    + describe(scope), generation);
      } else {
        watch(context.get());
        targets.put(name, target(context.get(), context.get().isNamespaceScoped() ? scope.getNamespace() : null, scope.getName()));
        try {
          var resources = managed.genericKubernetesResources(context.get());
          boolean namespaced = context.get().isNamespaceScoped();
          result =
              namespaced
                  ? resources.inNamespace(scope.getNamespace()).withName(scope.getName()).get()
                  : resources.withName(scope.getName()).get();
        } catch (KubernetesClientException e) {
          RuntimeException classified = ClusterUnreachable.classify(cluster, e);
          if (classified instanceof ClusterUnreachable) {
            throw classified;
          }
          condition = Conditions.of(Ocm.VIEW_CONDITION_PROCESSING, "False", REASON_FAILED,
              "failed to get resource with err: " + e.getMessage(), generation);
          write(view, condition, null);
          return;
        }
        condition =
            result == null
                ? Conditions.of(Ocm.VIEW_CONDITION_PROCESSING, "False", REASON_FAILED,
                    "failed to get resource with err: " + context.get().getPlural()
                        + (context.get().getGroup() == null || context.get().getGroup().isEmpty() ? "" : "." + context.get().getGroup())
                        + " \"" + scope.getName() + "\" not found"
                        + (context.get().isNamespaceScoped() ? " in namespace " + scope.getNamespace() : ""),
                    generation)
                : Conditions.of(Ocm.VIEW_CONDITION_PROCESSING, "True", REASON_PROCESSING, "Watching resources successfully", generation);
      }
    }
    write(view, condition, result);
  }

  /** Starts (or restarts, after it stopped) the informer of the viewed kind on the cluster. */
  private synchronized void watch(ResourceDefinitionContext context) {
    if (closed) {
      return;
    }
    String kind = context.getPlural() + "." + context.getGroup();
    SharedIndexInformer<GenericKubernetesResource> current = watches.get(kind);
    if (current != null && !current.stopped().toCompletableFuture().isDone()) {
      return;
    }
    if (current != null) {
      current.close();
    }
    var resources = managed.genericKubernetesResources(context);
    SharedIndexInformer<GenericKubernetesResource> started =
        context.isNamespaceScoped() ? resources.inAnyNamespace().runnableInformer(0) : resources.runnableInformer(0);
    started.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        changed(context, obj);
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        changed(context, after);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
        changed(context, obj);
      }
    });
    watches.put(kind, started);
    started.start();
  }

  private void changed(ResourceDefinitionContext context, GenericKubernetesResource obj) {
    String changed = target(context, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    targets.forEach((view, target) -> {
      if (target.equals(changed)) {
        loop.add(view);
      }
    });
  }

  private static String target(ResourceDefinitionContext context, String namespace, String name) {
    return context.getPlural() + "." + context.getGroup() + "/" + Objects.toString(namespace, "") + "/" + name;
  }

  private void write(ManagedClusterView view, Condition condition, GenericKubernetesResource result) {
    ManagedClusterViewStatus before = view.getStatus() == null ? new ManagedClusterViewStatus() : view.getStatus();
    ManagedClusterViewStatus after = new ManagedClusterViewStatus();
    after.setConditions(Conditions.set(before.getConditions(), condition, clock));
    after.setResult(result);
    if (!json.asJson(after).equals(json.asJson(before))) {
      view.setStatus(after);
      hub.resource(view).updateStatus();
    }
  }

  private static String describe(Scope scope) {
    return "apiGroup=" + scope.getApiGroup() + " version=" + scope.getVersion() + " kind=" + scope.getKind()
        + " resource=" + scope.getResource();
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        closed = true;
        watches.values().forEach(SharedIndexInformer::close);
        watches.clear();
      }
      if (informer != null) {
        informer.close();
      }
    } finally {
      loop.close();
    }
  }
}
