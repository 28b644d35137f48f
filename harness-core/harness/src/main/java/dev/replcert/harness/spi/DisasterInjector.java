package dev.replcert.harness.spi;

/**
 * Takes a whole site down and brings it back with its state intact: in the lab the site's driver
 * (socket and replication link) stops; on real targets the vendor's commands run. Environments
 * that cannot do it offer no injector, and the tests that need one are skipped with that reason.
 */
public interface DisasterInjector {

  /** Whether this injector can take the site down. */
  boolean supports(String site);

  /** Returns once the site no longer answers (its driver, and in the lab its API server and S3). */
  void takeDown(String site);

  /** Returns once the site answers again, with the state it had. */
  void bringUp(String site);

  /** Whether the site is currently down (taken down by this injector). */
  boolean isDown(String site);
}
