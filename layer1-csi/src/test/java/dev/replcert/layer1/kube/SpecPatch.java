package dev.replcert.layer1.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * Sets one spec field as a user's {@code kubectl patch --type merge} does: no resourceVersion
 * precondition, so a controller writing the object meanwhile (status, finalizers) cannot make the
 * step fail with 409 Conflict, as fabric8's optimistic {@code edit} can.
 */
final class SpecPatch {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private SpecPatch() {}

  /** Patches {@code spec.<field>} to {@code value}; returns the object as the server answered. */
  static <T extends HasMetadata> T set(Resource<T> resource, String field, Object value) {
    return resource.patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(Map.of("spec", Map.of(field, value))));
  }
}
