package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csiaddons.identity.Capability;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesResponse;
import dev.replcert.api.csiaddons.identity.IdentityGrpc;
import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * What a test changes in the site driver's answers, between the controller and the driver: hide the
 * GET_REPLICATION_DESTINATION_INFO capability (a driver without it), or answer
 * GetReplicationDestinationInfo with UNAVAILABLE (a destination not there yet). The driver still
 * gets every call, so the call recording sees what the controller sent.
 */
final class DriverTweaks implements ClientInterceptor {

  private volatile boolean destinationInfoHidden;
  private volatile boolean destinationUnavailable;

  /** From now on GetCapabilities leaves out GET_REPLICATION_DESTINATION_INFO. */
  void hideDestinationInfo() {
    destinationInfoHidden = true;
  }

  /** While true, GetReplicationDestinationInfo fails with UNAVAILABLE. */
  void destinationUnavailable(boolean unavailable) {
    destinationUnavailable = unavailable;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    boolean capabilities = method.equals(IdentityGrpc.getGetCapabilitiesMethod());
    boolean destination = method.equals(ControllerGrpc.getGetReplicationDestinationInfoMethod());
    if (!capabilities && !destination) {
      return next.newCall(method, options);
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              private boolean failed;

              @Override
              public void onMessage(R message) {
                if (destination && destinationUnavailable) {
                  failed = true;
                } else if (capabilities && destinationInfoHidden) {
                  super.onMessage(withoutDestinationInfo(message));
                } else {
                  super.onMessage(message);
                }
              }

              @Override
              public void onClose(Status status, Metadata trailers) {
                super.onClose(
                    failed ? Status.UNAVAILABLE.withDescription("destination not ready") : status,
                    trailers);
              }
            },
            headers);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <R> R withoutDestinationInfo(R message) {
    GetCapabilitiesResponse response = (GetCapabilitiesResponse) message;
    return (R)
        response.toBuilder()
            .clearCapabilities()
            .addAllCapabilities(
                response.getCapabilitiesList().stream()
                    .filter(
                        c ->
                            !(c.hasVolumeReplication()
                                && c.getVolumeReplication().getType()
                                    == Capability.VolumeReplication.Type
                                        .GET_REPLICATION_DESTINATION_INFO))
                    .toList())
            .build();
  }
}
