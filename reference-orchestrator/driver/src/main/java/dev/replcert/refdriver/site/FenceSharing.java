package dev.replcert.refdriver.site;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.link.PeerUnreachableException;
import dev.replcert.refdriver.link.proto.FenceState;
import dev.replcert.refdriver.link.proto.ShareFenceRequest;
import dev.replcert.refdriver.storage.SiteState;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fence scope mirror: the two sites of a mirror keep one network fence, as one storage system
 * stretched over both sites would. A change is offered to the peer at once; besides, every
 * {@link #PERIOD} and when the site starts, the sites exchange fences and both keep the newer, so
 * a site that was down (or cut off) when the fence changed refuses the fenced clients as soon as
 * it talks to its peer again. Not running with fence scope site.
 */
final class FenceSharing implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FenceSharing.class);

  /** How often the sites compare fences. */
  static final Duration PERIOD = Duration.ofMillis(250);

  /** How long one exchange may take (a fence call waits for one after its change). */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final DriverOptions options;
  private final Fences fences;
  private final PeerLink link;
  private ScheduledExecutorService timer;

  FenceSharing(DriverOptions options, Fences fences, PeerLink link) {
    this.options = options;
    this.fences = fences;
    this.link = link;
  }

  boolean enabled() {
    return options.fenceScope() == DriverOptions.FenceScope.MIRROR && link.configured();
  }

  /** One exchange now, then one every {@link #PERIOD}. */
  void start() {
    if (!enabled()) {
      return;
    }
    exchange();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "refdriver-" + options.site() + "-fence-sharing");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::exchange, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Offers this site's fence to the peer and keeps the peer's when it is newer. A peer that does
   * not answer learns the fence at a later exchange; the site's own fence holds meanwhile.
   */
  void exchange() {
    if (!enabled()) {
      return;
    }
    try {
      SiteState mine = fences.state();
      FenceState answer =
          link.shareFence(ShareFenceRequest.newBuilder().setSite(options.site()).setState(toProto(mine)).build(),
              CALL_TIMEOUT).getState();
      SiteState kept = fences.adoptIfNewer(fromProto(answer));
      if (!kept.equals(mine)) {
        LOG.info("{}: fence from the mirror (version {} set by {}): fenced {}", options.site(), kept.fenceVersion(),
            kept.fenceSetBy(), kept.fencedCidrs());
      }
    } catch (PeerUnreachableException e) {
      LOG.debug("{}: fence not shared, peer unreachable: {}", options.site(), e.getMessage());
    } catch (StatusRuntimeException e) {
      LOG.warn("{}: fence not shared, peer refused: {}", options.site(), e.getStatus());
    } catch (RuntimeException e) {
      LOG.warn("{}: fence not shared: {}", options.site(), e.toString());
    }
  }

  /** What the peer offered: this site keeps the newer fence and answers with it. */
  FenceState receive(ShareFenceRequest request) {
    if (options.fenceScope() != DriverOptions.FenceScope.MIRROR) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, "site " + options.site()
          + " fences its own storage only (fence scope site); peer " + request.getSite() + " shares a mirror-wide fence");
    }
    SiteState before = fences.state();
    SiteState kept = fences.adoptIfNewer(fromProto(request.getState()));
    if (kept != before && !kept.equals(before)) {
      LOG.info("{}: fence from {} (version {}): fenced {}", options.site(), request.getSite(), kept.fenceVersion(),
          kept.fencedCidrs());
    }
    return toProto(kept);
  }

  static FenceState toProto(SiteState state) {
    return FenceState.newBuilder()
        .setVersion(state.fenceVersion())
        .setSetBy(state.fenceSetBy())
        .addAllFencedCidrs(state.fencedCidrs())
        .addAllEnforcedCidrs(state.enforcedCidrs())
        .build();
  }

  static SiteState fromProto(FenceState state) {
    return new SiteState(state.getFencedCidrsList(), state.getEnforcedCidrsList(), state.getVersion(),
        state.getSetBy());
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
