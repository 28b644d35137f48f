package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;

/**
 * One delta on its way to the peer: header, block batches, commit, then the peer's verdict. Sent
 * over the bulk connection when the peer offers one, else over gRPC ShipDelta.
 */
public interface DeltaStream {

  /**
   * Sends one chunk, waiting while the link is saturated. A block chunk's data may be reused by the
   * caller once this returns. Returns false, sending nothing, when the delta already ended (the
   * peer rejected it early, or the connection failed): {@link #finish} then tells why.
   */
  boolean send(DeltaChunk chunk) throws InterruptedException;

  /** Ends the delta and waits for the peer's verdict. */
  DeltaAck finish() throws InterruptedException;

  /** Abandons the delta: the peer discards what it received. */
  void cancel(String why);
}
