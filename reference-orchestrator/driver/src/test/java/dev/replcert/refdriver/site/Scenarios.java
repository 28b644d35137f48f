package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.longBytes;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.read;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.readLong;
import static dev.replcert.refdriver.site.TwoSites.rw;
import static dev.replcert.refdriver.site.TwoSites.write;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenarios that observe one rule each and return what they saw. The feature tests run them on
 * the correct driver and assert the rule holds; {@link DefectTest} runs the same scenario with a
 * defect switched on and asserts the rule breaks: the behaviour differs exactly there.
 */
final class Scenarios {

  private Scenarios() {}

  /** Writes {@code data} on east and demotes east right away, then promotes west (planned switch). */
  static byte[] plannedSwitch(TwoSites sites, String id, long offset, byte[] data) {
    write(sites.east, id, offset, data);
    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(10));
    sites.west.promote(Target.volume(id), false);
    return read(sites.west, id, offset, data.length);
  }

  /** Demotes east; returns the error of a write through a handle published before, or null. */
  static ErrorCode writeThroughHandleAfterDemote(TwoSites sites, String id) {
    String handle = rw(sites.east, id);
    sites.east.write(handle, 0, pattern(1, 100));
    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(10));
    return errorOf(() -> sites.east.write(handle, 0, pattern(2, 100)));
  }

  /** Publishes the west replica read-write and writes; returns the error, or null. */
  static ErrorCode readWriteOnSecondary(TwoSites sites, String id) {
    return errorOf(
        () -> sites.west.write(sites.west.publish(id, "west-node-1", "/mnt/rw-west", false).handle(), 0, pattern(3, 10)));
  }

  /** East is primary and reachable; west promotes without force. Returns the error, or null. */
  static ErrorCode promoteWhilePeerPrimary(TwoSites sites, String id) {
    return errorOf(() -> sites.west.promote(Target.volume(id), false));
  }

  /**
   * Writes v1 and v2 on east, each shipped; stops east; west promotes with force. Returns what the
   * promoted west holds (v2 is the last applied sync).
   */
  static byte[] forcePromoteAfterTwoSyncs(TwoSites sites, String id, byte[] v1, byte[] v2) {
    write(sites.east, id, 0, v1);
    sites.awaitIdentical(id);
    write(sites.east, id, 0, v2);
    sites.awaitIdentical(id);
    sites.stopEast();
    sites.west.promote(Target.volume(id), true);
    return read(sites.west, id, 0, v2.length);
  }

  /**
   * Makes east a diverged old primary: base data shipped, then east pauses, writes {@code
   * divergent} at block 10 (never written on west), stops; west is force-promoted and writes;
   * east comes back and is demoted (its peer is primary now: no final sync, so it diverged).
   */
  static void divergedOldPrimary(TwoSites sites, String id, byte[] divergent) {
    write(sites.east, id, 0, pattern(10, 3 * BLOCK));
    sites.awaitIdentical(id);
    sites.east.pause(Target.volume(id));
    write(sites.east, id, 10L * BLOCK, divergent);
    sites.stopEast();
    sites.west.promote(Target.volume(id), true);
    write(sites.west, id, BLOCK, pattern(11, BLOCK));
    sites.startEast();
    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(10));
  }

  /** Polls resync until it reports ready (csi-addons does this every 30 s; we poll fast). */
  static void resyncUntilReady(Site site, String id) {
    await("resync of " + id + " ready").until(() -> site.resync(Target.volume(id), false));
  }

  /** A status query and when it was asked. */
  record Sample(Instant asked, Instant lastSyncTime) {}

  /**
   * Status samples of a busy volume (a write before every query) taken every 10 ms over {@code
   * window}.
   */
  static List<Sample> lastSyncTimes(TwoSites sites, String id, Duration window) {
    List<Sample> samples = new ArrayList<>();
    AtomicLong i = new AtomicLong();
    org.awaitility.Awaitility.await("status sampled for " + window)
        .during(window)
        .atMost(window.plusSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              write(sites.east, id, 0, longBytes(i.incrementAndGet()));
              Instant asked = Instant.now();
              samples.add(new Sample(asked, sites.east.replicationStatus(Target.volume(id)).lastSyncTime()));
              return true;
            });
    return samples;
  }

  static long distinctTimes(List<Sample> samples) {
    return samples.stream().map(Sample::lastSyncTime).distinct().count();
  }

  static boolean anyInFuture(List<Sample> samples) {
    return samples.stream().anyMatch(s -> s.lastSyncTime().isAfter(s.asked()));
  }

  static boolean anyBackwards(List<Sample> samples) {
    for (int i = 1; i < samples.size(); i++) {
      if (samples.get(i).lastSyncTime().isBefore(samples.get(i - 1).lastSyncTime())) {
        return true;
      }
    }
    return false;
  }

  static boolean arrived(TwoSites sites, String id, long offset, byte[] data) {
    return Arrays.equals(read(sites.west, id, offset, data.length), data);
  }

  /**
   * East rewrites all 64 blocks of a 4 MiB volume with one generation number per write (each
   * write is atomic on east); a reader of west checks whether it ever sees two generations at
   * once. Returns whether it did within {@code window}.
   */
  static boolean readerSeesHalfASync(TwoSites sites, String id, Duration window) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    String handle = rw(sites.east, id);
    Thread writer =
        new Thread(
            () -> {
              ByteBuffer volume = ByteBuffer.allocate((int) (4 * MIB));
              for (long generation = 1; !stop.get(); generation++) {
                for (int block = 0; block < 64; block++) {
                  volume.putLong(block * BLOCK, generation);
                }
                sites.east.write(handle, 0, volume.array());
              }
            },
            "test-writer");
    writer.start();
    String reader = TwoSites.ro(sites.west, id);
    boolean mixed = false;
    Instant until = Instant.now().plus(window);
    try {
      while (!mixed && Instant.now().isBefore(until)) {
        ByteBuffer seen = ByteBuffer.wrap(sites.west.read(reader, 0, (int) (4 * MIB)));
        long first = seen.getLong(0);
        for (int block = 1; block < 64 && !mixed; block++) {
          mixed = seen.getLong(block * BLOCK) != first;
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    return mixed;
  }

  /**
   * A writer puts counter n into group member a, then into member b, over and over (so a is
   * always at n or n+1 when b is at n). A reader of west reads b, then a; if west ever shows b
   * ahead of a, the members were not frozen at one point in time. Returns whether that happened.
   */
  static boolean groupMemberAhead(TwoSites sites, String first, String second, Duration window)
      throws InterruptedException {
    // a is the member with the lower id: the one a one-by-one freeze (which goes in id order)
    // takes first, so a late freeze of b shows as b ahead
    String a = first.compareTo(second) < 0 ? first : second;
    String b = a.equals(first) ? second : first;
    AtomicBoolean stop = new AtomicBoolean();
    String ha = rw(sites.east, a);
    String hb = rw(sites.east, b);
    AtomicLong counter = new AtomicLong();
    Thread writer =
        new Thread(
            () -> {
              while (!stop.get()) {
                long n = counter.incrementAndGet();
                sites.east.write(ha, 0, longBytes(n));
                sites.east.write(hb, 0, longBytes(n));
              }
            },
            "test-group-writer");
    writer.start();
    boolean ahead = false;
    Instant until = Instant.now().plus(window);
    try {
      while (!ahead && Instant.now().isBefore(until)) {
        long seenB = readLong(sites.west, b, 0);
        long seenA = readLong(sites.west, a, 0);
        ahead = seenB > seenA;
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    return ahead;
  }

  static ErrorCode errorOf(Runnable action) {
    try {
      action.run();
      return null;
    } catch (DriverException e) {
      return e.code();
    }
  }

  static boolean identical(TwoSites sites, String id) {
    return Arrays.equals(readAll(sites.east, id), readAll(sites.west, id));
  }

}
