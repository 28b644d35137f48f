package dev.replcert.orchestrator.vrg;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh managed cluster with one S3 site per test, and a stand-in for csi-addons. */
abstract class OneSiteVrgTest {

  /** Selects the PVCs labelled app=shop. */
  static final LabelSelector SHOP =
      new LabelSelectorBuilder().addToMatchLabels("app", "shop").build();

  S3Site east;
  VrgCluster cluster;
  CsiAddonsPlayer csiAddons;

  @BeforeEach
  void startCluster() {
    east = new S3Site("east");
    cluster = new VrgCluster(east);
    csiAddons = new CsiAddonsPlayer(cluster.client);
  }

  @AfterEach
  void stopCluster() {
    try {
      cluster.close();
    } finally {
      east.close();
    }
  }
}
