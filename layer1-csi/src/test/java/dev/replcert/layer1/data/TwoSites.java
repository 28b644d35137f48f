package dev.replcert.layer1.data;

import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.AccessTypes;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.ReplicatedVolume;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.Targets;
import dev.replcert.harness.kube.Waits;
import java.time.Duration;

/**
 * What every data test works with: east (primary at the start) and west, the test's tracker and
 * evidence, the workload, and the environment's disaster injector. Built per test in
 * {@code @BeforeEach} from the injected parameters.
 */
final class TwoSites {

  final SiteDriver east;
  final SiteDriver west;
  final ResourceTracker tracker;
  final Evidence evidence;
  final CertificationConfig config;
  final Environment environment;
  final Waits waits;

  TwoSites(
      DriverEndpoint east,
      DriverEndpoint west,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    this.east = new SiteDriver(east, config, tracker, evidence);
    this.west = new SiteDriver(west, config, tracker, evidence);
    this.tracker = tracker;
    this.evidence = evidence;
    this.config = config;
    this.environment = environment;
    this.waits = new Waits(config.timeoutProfile());
  }

  /** A volume of the configured mode and size, created on east and replicating to west. */
  ReplicatedVolume replicatedVolume(String what) {
    return replicatedVolume(what, AccessTypes.configured(config), config.driver().volume().sizeBytes());
  }

  ReplicatedVolume replicatedVolume(String what, VolumeCapability capability, long sizeBytes) {
    return ReplicatedVolume.mustCreate(
        east, west, tracker, config, evidence, Names.unique(what), capability, sizeBytes);
  }

  /** How often the driver really syncs (the lab says; else the configured interval). */
  Duration syncInterval() {
    return Targets.syncInterval(environment, config);
  }

  Workload workload() {
    return new Workload(config, syncInterval(), tracker);
  }

  /**
   * Takes {@code site} down (the test is aborted if the environment cannot) and makes sure it is
   * brought back at cleanup, whatever happens in between.
   */
  DisasterInjector takeDown(String site) {
    DisasterInjector injector = Targets.disasters(environment, site);
    injector.takeDown(site);
    tracker.track(
        "bring " + site + " back",
        () -> {
          if (injector.isDown(site)) {
            injector.bringUp(site);
          }
        });
    return injector;
  }

  /** The verifier's summary against the writer, as evidence and for assertion messages. */
  String record(String name, Verification verification, WriterReport writer) {
    String text = verification.describe(writer);
    evidence.attach(name, text);
    return text;
  }

  String record(String name, Verification verification) {
    String text = verification.describe();
    evidence.attach(name, text);
    return text;
  }
}
