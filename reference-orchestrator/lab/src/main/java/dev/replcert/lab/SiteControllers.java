package dev.replcert.lab;

/**
 * The controllers that run in a managed cluster (provisioner, kubelet, csi-addons, Ramen's
 * DR-cluster controllers): they run IN
 * the cluster, so a site disaster takes them down with it, and they come back with it. They are
 * level-triggered and rebuild from the cluster's current state when started again.
 */
interface SiteControllers {

  /** None: a lab without the substrate. */
  SiteControllers NONE =
      new SiteControllers() {
        @Override
        public void stop(String site) {}

        @Override
        public void start(String site) {}
      };

  /** Closes the site's controllers; called while its API server and driver still answer. */
  void stop(String site);

  /** Starts fresh controllers for the site; called once its API server and driver answer. */
  void start(String site);
}
