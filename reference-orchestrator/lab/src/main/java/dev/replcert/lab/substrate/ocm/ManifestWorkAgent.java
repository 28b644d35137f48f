package dev.replcert.lab.substrate.ocm;

import dev.replcert.api.k8s.Ocm.WorkCondition;
import dev.replcert.lab.substrate.WorkQueue;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.work.v1.ManifestWork;
import io.open_cluster_management.work.v1.ManifestWorkStatus;
import io.open_cluster_management.work.v1.manifestworkspec.DeleteOption;
import io.open_cluster_management.work.v1.manifestworkspec.ManifestConfigs;
import io.open_cluster_management.work.v1.manifestworkspec.deleteoption.selectivelyorphans.OrphaningRules;
import io.open_cluster_management.work.v1.manifestworkspec.manifestconfigs.ResourceIdentifier;
import io.open_cluster_management.work.v1.manifestworkstatus.ResourceStatus;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.Manifests;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.ResourceMeta;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.StatusFeedback;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * OCM's work agent for one managed cluster: every ManifestWork in the hub namespace named after the
 * cluster is applied to the cluster, and its status says what happened.
 *
 * <ul>
 *   <li>The agent adds the finalizer {@value #FINALIZER}; without it a work is not applied.
 *   <li>Each manifest is created, or updated when the manifest itself changed since it was last
 *       applied: as OCM's {@code Update} applier, the agent stamps the applied object with a hash of
 *       the manifest (annotation {@value #OBJECT_HASH}) and re-applies only when that hash differs.
 *       A field another controller set on the cluster (the scheduler's {@code spec.nodeName}, a
 *       replica count) therefore survives the agent's resync. A re-apply makes everything but
 *       {@code metadata} and {@code status} the manifest's; labels and annotations of the manifest
 *       are merged into the existing ones; the cluster's status is never written.
 *   <li>{@code status.resourceStatus.manifests[]}: resourceMeta, conditions Applied, Available
 *       (the resource exists), StatusFeedbackSynced, and the feedback values of the manifest's
 *       {@code manifestConfigs}; work conditions Applied, Progressing, Available, all with the
 *       work's generation.
 *   <li>A manifest removed from the work is deleted from the cluster; a deleted work deletes all
 *       its resources and then drops the finalizer. {@code Orphan} (and {@code SelectivelyOrphan}'s
 *       rules) leave the resources in place.
 *   <li>While the cluster does not answer nothing is written to the hub: the work keeps its last
 *       status, as under a dead OCM agent.
 * </ul>
 */
final class ManifestWorkAgent implements AutoCloseable {

  /** The finalizer OCM's work agent puts on every ManifestWork it handles. */
  static final String FINALIZER = "cluster.open-cluster-management.io/manifest-work-cleanup";

  /** The annotation OCM's work agent records the hash of the applied manifest in. */
  static final String OBJECT_HASH = "open-cluster-management.io/object-hash";

  private final String cluster;
  private final KubernetesClient hub;
  private final KubernetesClient managed;
  private final Clock clock;
  private final KubernetesSerialization json;
  private final RestMapper mapper;
  private final dev.replcert.lab.substrate.ocm.StatusFeedback feedback;
  private final WorkQueue loop;
  private SharedIndexInformer<ManifestWork> informer;

  ManifestWorkAgent(
      String cluster, KubernetesClient hub, KubernetesClient managed, OcmTiming timing, Clock clock) {
    this.cluster = cluster;
    this.hub = hub;
    this.managed = managed;
    this.clock = clock;
    this.json = hub.getKubernetesSerialization();
    this.mapper = new RestMapper(cluster, managed);
    this.feedback = new dev.replcert.lab.substrate.ocm.StatusFeedback(json);
    this.loop = ResyncQueues.of("ocm-work-agent-" + cluster, timing.resync(), this::names, this::reconcile);
  }

  void start() {
    informer = works().inform(new Enqueue<>(loop), 0);
    loop.start();
  }

  private List<String> names() {
    return informer == null
        ? List.of()
        : informer.getStore().list().stream().map(w -> w.getMetadata().getName()).toList();
  }

  private NonNamespaceOperation<ManifestWork, ?, Resource<ManifestWork>> works() {
    return hub.resources(ManifestWork.class).inNamespace(cluster);
  }

  void reconcile(String name) {
    ManifestWork work = works().withName(name).get();
    if (work == null) {
      return;
    }
    List<String> finalizers = work.getMetadata().getFinalizers();
    boolean finalized = finalizers != null && finalizers.contains(FINALIZER);
    if (work.getMetadata().getDeletionTimestamp() != null) {
      if (finalized && cleanUp(work)) {
        works().withName(name).edit(w -> withFinalizers(w, false));
      }
      return;
    }
    if (!finalized) {
      works().withName(name).edit(w -> withFinalizers(w, true));
      loop.add(name);
      return;
    }
    apply(work);
  }

  private static ManifestWork withFinalizers(ManifestWork work, boolean present) {
    List<String> finalizers = new ArrayList<>();
    if (work.getMetadata().getFinalizers() != null) {
      finalizers.addAll(work.getMetadata().getFinalizers());
    }
    finalizers.remove(FINALIZER);
    if (present) {
      finalizers.add(FINALIZER);
    }
    work.getMetadata().setFinalizers(finalizers);
    return work;
  }

  private void apply(ManifestWork work) {
    Long generation = work.getMetadata().getGeneration();
    List<GenericKubernetesResource> manifests = manifests(work);
    List<Manifests> before = statusManifests(work);
    List<Manifests> after = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      after.add(applyOne(work, i, manifests.get(i), generation, before));
    }
    deleteRemoved(work, before, after);
    ManifestWorkStatus status = work.getStatus() == null ? new ManifestWorkStatus() : work.getStatus();
    List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
    if (!after.isEmpty()) {
      long failed = after.stream().filter(m -> !is(m, WorkCondition.APPLIED, "True")).count();
      conditions =
          Conditions.set(
              conditions,
              failed == 0
                  ? Conditions.of(WorkCondition.APPLIED.wire(), "True", "AppliedManifestWorkComplete", "Apply manifest work complete", generation)
                  : Conditions.of(WorkCondition.APPLIED.wire(), "False", "AppliedManifestWorkFailed", "Failed to apply manifest work", generation),
              clock);
      conditions =
          Conditions.set(
              conditions,
              failed == 0
                  ? Conditions.of(WorkCondition.PROGRESSING.wire(), "False", "AppliedManifestWorkComplete", "Apply manifest work complete", generation)
                  : Conditions.of(WorkCondition.PROGRESSING.wire(), "True", "Applying", failed + " of " + after.size() + " manifests are not applied yet", generation),
              clock);
      long notAvailable = after.stream().filter(m -> is(m, WorkCondition.AVAILABLE, "False")).count();
      long unknown = after.stream().filter(m -> is(m, WorkCondition.AVAILABLE, "Unknown")).count();
      Condition available;
      if (notAvailable > 0) {
        available = Conditions.of(WorkCondition.AVAILABLE.wire(), "False", "ResourcesNotAvailable", notAvailable + " of " + after.size() + " resources are not available", generation);
      } else if (unknown > 0) {
        available = Conditions.of(WorkCondition.AVAILABLE.wire(), "Unknown", "ResourcesStatusUnknown", unknown + " of " + after.size() + " resources have unknown status", generation);
      } else {
        available = Conditions.of(WorkCondition.AVAILABLE.wire(), "True", "ResourcesAvailable", "All resources are available", generation);
      }
      conditions = Conditions.set(conditions, available, clock);
    }
    ManifestWorkStatus next = new ManifestWorkStatus();
    next.setConditions(conditions);
    ResourceStatus resources = new ResourceStatus();
    resources.setManifests(after);
    next.setResourceStatus(resources);
    if (!json.asJson(next).equals(json.asJson(status))) {
      work.setStatus(next);
      hub.resource(work).updateStatus();
    }
  }

  private Manifests applyOne(
      ManifestWork work, int ordinal, GenericKubernetesResource manifest, Long generation, List<Manifests> before) {
    ResourceMeta meta = new ResourceMeta();
    meta.setOrdinal(ordinal);
    meta.setKind(manifest.getKind());
    meta.setName(manifest.getMetadata() == null ? null : manifest.getMetadata().getName());
    String apiVersion = manifest.getApiVersion() == null ? "" : manifest.getApiVersion();
    meta.setGroup(apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "");
    meta.setVersion(apiVersion.substring(apiVersion.indexOf('/') + 1));
    Manifests result = new Manifests();
    result.setResourceMeta(meta);
    List<Condition> previous =
        before.stream()
            .filter(m -> m.getResourceMeta() != null && Objects.equals(m.getResourceMeta().getOrdinal(), ordinal))
            .findFirst()
            .map(Manifests::getConditions)
            .orElse(List.of());
    List<Condition> conditions = previous;
    Optional<ResourceDefinitionContext> context;
    try {
      context = mapper.forKind(apiVersion, manifest.getKind());
    } catch (KubernetesClientException e) {
      throw ClusterUnreachable.classify(cluster, e);
    }
    if (context.isEmpty()) {
      result.setConditions(
          Conditions.set(conditions, Conditions.of(WorkCondition.APPLIED.wire(), "False", "AppliedManifestFailed",
              "Failed to apply manifest: no matches for kind \"" + manifest.getKind() + "\" in version \"" + apiVersion + "\"", generation), clock));
      return result;
    }
    meta.setResource(context.get().getPlural());
    String namespace = context.get().isNamespaceScoped() ? manifest.getMetadata().getNamespace() : null;
    meta.setNamespace(namespace == null ? "" : namespace);
    Resource<GenericKubernetesResource> target = resource(context.get(), namespace, meta.getName());
    GenericKubernetesResource live;
    try {
      boolean createOnly =
          config(work, meta)
              .map(ManifestConfigs::getUpdateStrategy)
              .map(u -> u.getType() != null && "CreateOnly".equals(u.getType().getValue()))
              .orElse(false);
      live = applyResource(target, manifest, context.get(), namespace, createOnly);
      conditions = Conditions.set(conditions, Conditions.of(WorkCondition.APPLIED.wire(), "True", "AppliedManifestComplete", "Apply manifest complete", generation), clock);
    } catch (KubernetesClientException e) {
      RuntimeException classified = ClusterUnreachable.classify(cluster, e);
      if (classified instanceof ClusterUnreachable) {
        throw classified;
      }
      conditions = Conditions.set(conditions, Conditions.of(WorkCondition.APPLIED.wire(), "False", "AppliedManifestFailed", "Failed to apply manifest: " + e.getMessage(), generation), clock);
      try {
        live = target.get();
      } catch (KubernetesClientException again) {
        throw ClusterUnreachable.classify(cluster, again);
      }
    }
    if (live == null) {
      conditions = Conditions.set(conditions, Conditions.of(WorkCondition.AVAILABLE.wire(), "False", "ResourceNotAvailable", "Resource is not available", generation), clock);
      result.setConditions(conditions);
      return result;
    }
    conditions = Conditions.set(conditions, Conditions.of(WorkCondition.AVAILABLE.wire(), "True", "ResourceAvailable", "Resource is available", generation), clock);
    Optional<ManifestConfigs> config = config(work, meta);
    if (config.isEmpty() || config.get().getFeedbackRules() == null || config.get().getFeedbackRules().isEmpty()) {
      conditions = Conditions.set(conditions, Conditions.of(WorkCondition.STATUS_FEEDBACK_SYNCED.wire(), "True", "NoStatusFeedbackSynced", "", generation), clock);
    } else {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = json.convertValue(live, Map.class);
      var read = feedback.evaluate(meta.getKind(), object, config.get().getFeedbackRules());
      StatusFeedback values = new StatusFeedback();
      values.setValues(read.values());
      result.setStatusFeedback(values);
      conditions =
          Conditions.set(
              conditions,
              read.errors().isEmpty()
                  ? Conditions.of(WorkCondition.STATUS_FEEDBACK_SYNCED.wire(), "True", "StatusFeedbackSynced", "", generation)
                  : Conditions.of(WorkCondition.STATUS_FEEDBACK_SYNCED.wire(), "False", "StatusFeedbackSyncFailed",
                      "Sync status feedback failed with error " + String.join("; ", read.errors()), generation),
              clock);
    }
    result.setConditions(conditions);
    return result;
  }

  /** Creates the resource, or updates what differs from the manifest; returns it as it is now. */
  private GenericKubernetesResource applyResource(
      Resource<GenericKubernetesResource> target,
      GenericKubernetesResource manifest,
      ResourceDefinitionContext context,
      String namespace,
      boolean createOnly) {
    var all = managed.genericKubernetesResources(context);
    NonNamespaceOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> ops =
        namespace == null ? all : all.inNamespace(namespace);
    @SuppressWarnings("unchecked")
    Map<String, Object> required = json.convertValue(manifest, Map.class);
    annotate(required, OBJECT_HASH, ManifestHash.of(required));
    GenericKubernetesResource existing = target.get();
    if (existing == null) {
      Map<String, Object> metadata = metadata(required);
      for (String serverField : List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp")) {
        metadata.remove(serverField);
      }
      return ops.resource(json.convertValue(required, GenericKubernetesResource.class)).create();
    }
    if (createOnly || Objects.equals(annotation(existing, OBJECT_HASH), annotation(required, OBJECT_HASH))) {
      // Unchanged manifest: what other controllers changed on the cluster stays.
      return existing;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> current = json.convertValue(existing, Map.class);
    Map<String, Object> desired = new LinkedHashMap<>(required);
    Map<String, Object> currentMeta = new LinkedHashMap<>(metadata(current));
    boolean metaChanged = false;
    for (String field : List.of("labels", "annotations")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> want = (Map<String, Object>) metadata(required).get(field);
      if (want == null || want.isEmpty()) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> have = (Map<String, Object>) currentMeta.get(field);
      Map<String, Object> merged = new LinkedHashMap<>(have == null ? Map.of() : have);
      merged.putAll(want);
      if (!merged.equals(have)) {
        metaChanged = true;
        currentMeta.put(field, merged);
      }
    }
    desired.put("metadata", currentMeta);
    desired.remove("status");
    if (current.containsKey("status")) {
      desired.put("status", current.get("status"));
    }
    Set<String> keys = new java.util.HashSet<>(desired.keySet());
    keys.addAll(current.keySet());
    keys.removeAll(Set.of("metadata", "status"));
    boolean contentChanged = keys.stream().anyMatch(k -> !Objects.equals(desired.get(k), current.get(k)));
    if (!metaChanged && !contentChanged) {
      return existing;
    }
    return ops.resource(json.convertValue(desired, GenericKubernetesResource.class)).update();
  }

  @SuppressWarnings("unchecked")
  private static void annotate(Map<String, Object> object, String key, String value) {
    Map<String, Object> annotations =
        (Map<String, Object>) metadata(object).computeIfAbsent("annotations", k -> new LinkedHashMap<>());
    annotations.put(key, value);
  }

  @SuppressWarnings("unchecked")
  private static Object annotation(Map<String, Object> object, String key) {
    Map<String, Object> annotations = (Map<String, Object>) metadata(object).get("annotations");
    return annotations == null ? null : annotations.get(key);
  }

  private static String annotation(GenericKubernetesResource object, String key) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
  }

  /** Deletes what an earlier status lists but the work no longer carries (unless orphaned). */
  private void deleteRemoved(ManifestWork work, List<Manifests> before, List<Manifests> after) {
    Set<String> kept = after.stream().map(Manifests::getResourceMeta).map(ManifestWorkAgent::identity).collect(Collectors.toSet());
    for (Manifests old : before) {
      ResourceMeta meta = old.getResourceMeta();
      if (meta == null || kept.contains(identity(meta)) || orphaned(work, meta)) {
        continue;
      }
      delete(meta);
    }
  }

  /** Deletes every resource of a deleted work; true once they are all gone (or orphaned). */
  private boolean cleanUp(ManifestWork work) {
    boolean gone = true;
    for (Manifests applied : statusManifests(work)) {
      ResourceMeta meta = applied.getResourceMeta();
      if (meta == null || orphaned(work, meta)) {
        continue;
      }
      gone &= delete(meta);
    }
    return gone;
  }

  /** Deletes one applied resource; true when it no longer exists. */
  private boolean delete(ResourceMeta meta) {
    if (meta.getResource() == null || meta.getResource().isEmpty() || meta.getName() == null) {
      return true;
    }
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(meta.getGroup())
            .withVersion(meta.getVersion())
            .withKind(meta.getKind())
            .withPlural(meta.getResource())
            .withNamespaced(meta.getNamespace() != null && !meta.getNamespace().isEmpty())
            .build();
    Resource<GenericKubernetesResource> target =
        resource(context, meta.getNamespace() == null || meta.getNamespace().isEmpty() ? null : meta.getNamespace(), meta.getName());
    try {
      GenericKubernetesResource existing = target.get();
      if (existing == null) {
        return true;
      }
      if (existing.getMetadata().getDeletionTimestamp() == null) {
        target.delete();
      }
      return target.get() == null;
    } catch (KubernetesClientException e) {
      throw ClusterUnreachable.classify(cluster, e);
    }
  }

  private Resource<GenericKubernetesResource> resource(ResourceDefinitionContext context, String namespace, String name) {
    var resources = managed.genericKubernetesResources(context);
    return namespace == null ? resources.withName(name) : resources.inNamespace(namespace).withName(name);
  }

  private static boolean orphaned(ManifestWork work, ResourceMeta meta) {
    DeleteOption option = work.getSpec() == null ? null : work.getSpec().getDeleteOption();
    if (option == null || option.getPropagationPolicy() == null
        || option.getPropagationPolicy() == DeleteOption.PropagationPolicy.FOREGROUND) {
      return false;
    }
    if (option.getPropagationPolicy() == DeleteOption.PropagationPolicy.ORPHAN) {
      return true;
    }
    if (option.getSelectivelyOrphans() == null || option.getSelectivelyOrphans().getOrphaningRules() == null) {
      return false;
    }
    for (OrphaningRules rule : option.getSelectivelyOrphans().getOrphaningRules()) {
      if (Objects.equals(blank(rule.getGroup()), blank(meta.getGroup()))
          && Objects.equals(rule.getResource(), meta.getResource())
          && Objects.equals(rule.getName(), meta.getName())
          && Objects.equals(blank(rule.getNamespace()), blank(meta.getNamespace()))) {
        return true;
      }
    }
    return false;
  }

  private static Optional<ManifestConfigs> config(ManifestWork work, ResourceMeta meta) {
    if (work.getSpec() == null || work.getSpec().getManifestConfigs() == null) {
      return Optional.empty();
    }
    for (ManifestConfigs config : work.getSpec().getManifestConfigs()) {
      ResourceIdentifier id = config.getResourceIdentifier();
      if (id != null
          && Objects.equals(blank(id.getGroup()), blank(meta.getGroup()))
          && Objects.equals(id.getResource(), meta.getResource())
          && Objects.equals(id.getName(), meta.getName())
          && Objects.equals(blank(id.getNamespace()), blank(meta.getNamespace()))) {
        return Optional.of(config);
      }
    }
    return Optional.empty();
  }

  private static String blank(String s) {
    return s == null ? "" : s;
  }

  private static String identity(ResourceMeta meta) {
    return blank(meta.getGroup()) + "/" + blank(meta.getResource()) + "/" + blank(meta.getNamespace()) + "/" + blank(meta.getName());
  }

  private static boolean is(Manifests manifest, WorkCondition type, String status) {
    return Conditions.find(manifest.getConditions(), type.wire()).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  private static List<GenericKubernetesResource> manifests(ManifestWork work) {
    if (work.getSpec() == null || work.getSpec().getWorkload() == null || work.getSpec().getWorkload().getManifests() == null) {
      return List.of();
    }
    return work.getSpec().getWorkload().getManifests();
  }

  private static List<Manifests> statusManifests(ManifestWork work) {
    if (work.getStatus() == null || work.getStatus().getResourceStatus() == null || work.getStatus().getResourceStatus().getManifests() == null) {
      return List.of();
    }
    return work.getStatus().getResourceStatus().getManifests();
  }

  @Override
  public void close() {
    try {
      if (informer != null) {
        informer.close();
      }
    } finally {
      loop.close();
    }
  }

  /** Queues the name of every object an informer reports. */
  static final class Enqueue<T extends io.fabric8.kubernetes.api.model.HasMetadata> implements ResourceEventHandler<T> {
    private final WorkQueue loop;

    Enqueue(WorkQueue loop) {
      this.loop = loop;
    }

    @Override
    public void onAdd(T obj) {
      loop.add(obj.getMetadata().getName());
    }

    @Override
    public void onUpdate(T before, T after) {
      loop.add(after.getMetadata().getName());
    }

    @Override
    public void onDelete(T obj, boolean unknownFinalState) {
      loop.add(obj.getMetadata().getName());
    }
  }
}
