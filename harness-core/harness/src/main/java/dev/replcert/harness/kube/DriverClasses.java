package dev.replcert.harness.kube;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.ClassNames;
import dev.replcert.api.k8s.GoDuration;
import dev.replcert.harness.config.SecretRef;
import dev.replcert.harness.config.VolumeMode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClass;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's classes on one cluster: the names {@code classes.*} of cert.yaml gives, or classes
 * this test creates from {@code driver.*} (name, replication interval and parameters, secret) on
 * first use and deletes at its cleanup. Created classes belong to one test, not to the run: a class
 * is immutable and cheap, and a test that owns its classes cannot be broken by another's.
 *
 * <p>The driver's secret is {@code driver.secretRef} when given; otherwise, when {@code
 * driver.secrets} holds values, a Secret with them is created in the test's namespace; with
 * neither, the classes reference no secret.
 */
public final class DriverClasses {

  private static final String CSI = "csi.storage.k8s.io/";
  private static final String FENCE_PREFIX = "csiaddons.openshift.io/";

  private final KubeResources cluster;
  private final CertificationConfig config;
  private final ClassNames names;
  private final String namespace;
  private SecretRef secret;
  private boolean secretResolved;
  private String storageClass;
  private String replicationClass;
  private String groupReplicationClass;
  private String fenceClass;
  private final Naming naming;

  /**
   * How created classes are named and labelled. {@link #UNIQUE}: a name of their own on each
   * cluster. A stem: {@code <stem>-sc}, {@code <stem>-vrc}, ... on every cluster, so one manifest
   * names them on either (an application delivered to whichever cluster is primary), with the
   * labels a DR orchestrator selects classes by (Ramen's storageid / replicationid).
   */
  public record Naming(String stem, Map<String, String> storageClassLabels, Map<String, String> replicationClassLabels) {
    public static final Naming UNIQUE = new Naming(null, Map.of(), Map.of());

    public Naming {
      storageClassLabels = Map.copyOf(storageClassLabels);
      replicationClassLabels = Map.copyOf(replicationClassLabels);
    }
  }

  public DriverClasses(KubeResources cluster, CertificationConfig config, String namespace) {
    this(cluster, config, namespace, Naming.UNIQUE);
  }

  public DriverClasses(KubeResources cluster, CertificationConfig config, String namespace, Naming naming) {
    this.cluster = cluster;
    this.config = config;
    this.names = config.classes();
    this.namespace = namespace;
    this.naming = naming;
  }

  /** The driver's name, the provisioner of its classes. */
  public String provisioner() {
    return config.driver().name();
  }

  /** A StorageClass of the driver, with the secret parameters external-provisioner reads. */
  public synchronized String storageClass() {
    if (storageClass == null) {
      storageClass = names.storageClass() != null ? names.storageClass() : createStorageClass();
    }
    return storageClass;
  }

  /** A VolumeReplicationClass: schedulingInterval, the driver's parameters, the secret. */
  public synchronized String volumeReplicationClass() {
    if (replicationClass == null) {
      replicationClass =
          names.volumeReplicationClass() != null
              ? names.volumeReplicationClass()
              : createReplicationClass();
    }
    return replicationClass;
  }

  /** A VolumeGroupReplicationClass: as the VolumeReplicationClass, with the group secret keys. */
  public synchronized String volumeGroupReplicationClass() {
    if (groupReplicationClass == null) {
      groupReplicationClass =
          names.volumeGroupReplicationClass() != null
              ? names.volumeGroupReplicationClass()
              : createGroupReplicationClass();
    }
    return groupReplicationClass;
  }

  /** A NetworkFenceClass of the driver, with the fence secret keys. */
  public synchronized String networkFenceClass() {
    if (fenceClass == null) {
      fenceClass = names.networkFenceClass() != null ? names.networkFenceClass() : createFenceClass();
    }
    return fenceClass;
  }

  private String createStorageClass() {
    Map<String, String> parameters = new LinkedHashMap<>();
    secret().ifPresent(ref -> {
      for (String use : new String[] {"provisioner", "controller-publish", "node-stage", "node-publish"}) {
        parameters.put(CSI + use + "-secret-name", ref.name());
        parameters.put(CSI + use + "-secret-namespace", ref.namespace());
      }
    });
    if (config.driver().volume().mode() == VolumeMode.FILESYSTEM && config.driver().volume().fsType() != null) {
      parameters.put(CSI + "fstype", config.driver().volume().fsType());
    }
    return cluster.create(new StorageClassBuilder()
            .withMetadata(meta("sc", naming.storageClassLabels()))
            .withProvisioner(config.driver().name())
            .withParameters(parameters)
            .withReclaimPolicy("Delete")
            // the test creates the claim before any pod and expects it Bound
            .withVolumeBindingMode("Immediate")
            .build())
        .getMetadata().getName();
  }

  private String createReplicationClass() {
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.setMetadata(meta("vrc", naming.replicationClassLabels()));
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(config.driver().name());
    spec.setParameters(replicationParameters("replication-secret"));
    vrc.setSpec(spec);
    return cluster.create(vrc).getMetadata().getName();
  }

  private String createGroupReplicationClass() {
    VolumeGroupReplicationClass vgrc = new VolumeGroupReplicationClass();
    // the labels of the replication class: a DR orchestrator picks a group class as it picks a
    // replication class (Ramen: the policy's selector, and the replication id in the VGR's name)
    vgrc.setMetadata(meta("vgrc", naming.replicationClassLabels()));
    VolumeGroupReplicationClassSpec spec = new VolumeGroupReplicationClassSpec();
    spec.setProvisioner(config.driver().name());
    spec.setParameters(replicationParameters("group-replication-secret"));
    vgrc.setSpec(spec);
    return cluster.create(vgrc).getMetadata().getName();
  }

  private String createFenceClass() {
    NetworkFenceClass nfc = new NetworkFenceClass();
    nfc.setMetadata(meta("nfc", Map.of()));
    NetworkFenceClassSpec spec = new NetworkFenceClassSpec();
    spec.setProvisioner(config.driver().name());
    Map<String, String> parameters = new LinkedHashMap<>();
    secret().ifPresent(ref -> {
      parameters.put(FENCE_PREFIX + "networkfence-secret-name", ref.name());
      parameters.put(FENCE_PREFIX + "networkfence-secret-namespace", ref.namespace());
    });
    spec.setParameters(parameters);
    nfc.setSpec(spec);
    return cluster.create(nfc).getMetadata().getName();
  }

  /** The driver's parameters untouched, the interval as Ramen writes it, the secret reference. */
  private Map<String, String> replicationParameters(String secretKey) {
    Map<String, String> parameters = new LinkedHashMap<>(config.driver().replication().parameters());
    parameters.put("schedulingInterval", GoDuration.format(config.driver().replication().schedulingInterval()));
    secret().ifPresent(ref -> {
      parameters.put(CsiAddons.PARAMETER_PREFIX + secretKey + "-name", ref.name());
      parameters.put(CsiAddons.PARAMETER_PREFIX + secretKey + "-namespace", ref.namespace());
    });
    return parameters;
  }

  private java.util.Optional<SecretRef> secret() {
    if (!secretResolved) {
      secretResolved = true;
      secret = config.driver().secretRef();
      if (secret == null && !config.driver().secrets().isEmpty()) {
        Map<String, String> data = new LinkedHashMap<>();
        config.driver().secrets().forEach((key, value) -> data.put(key, value.reveal()));
        String name = cluster.create(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder()
                    .withName(Names.unique("driver-secret"))
                    .withNamespace(namespace)
                    .build())
                .withStringData(data)
                .build())
            .getMetadata().getName();
        secret = new SecretRef(name, namespace);
      }
    }
    return java.util.Optional.ofNullable(secret);
  }

  private io.fabric8.kubernetes.api.model.ObjectMeta meta(String kind, Map<String, String> labels) {
    String name = naming.stem() == null ? Names.unique(kind) : naming.stem() + "-" + kind;
    return new ObjectMetaBuilder().withName(name).withLabels(labels.isEmpty() ? null : labels).build();
  }
}
