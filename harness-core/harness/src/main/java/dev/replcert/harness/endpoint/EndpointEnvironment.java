package dev.replcert.harness.endpoint;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.SecretValue;
import dev.replcert.harness.config.SiteEndpoint;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.ReplicationControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mode: endpoint}: a vendor's driver reached only through its gRPC sockets, one per site,
 * like csi-sanity's {@code --csi.endpoint}. No Kubernetes. Site disasters and pause/resume come
 * from the vendor's commands in cert.yaml, when given.
 */
final class EndpointEnvironment implements Environment {

  private final CallLog log = new CallLog();
  private final Map<String, ChannelDriverEndpoint> sites = new LinkedHashMap<>();
  private final DisasterInjector disasters;
  private final ReplicationControl control;

  EndpointEnvironment(CertificationConfig config) {
    Redactor redactor = new Redactor(reveal(config.allSecrets()));
    Map<String, String> secrets = new LinkedHashMap<>();
    config.driver().secrets().forEach((k, v) -> secrets.put(k, v.reveal()));
    Duration rpc = config.timeoutProfile().of(TimeoutOperation.RPC);
    try {
      for (Map.Entry<String, SiteEndpoint> e : config.driver().endpoints().asMap().entrySet()) {
        ChannelDriverEndpoint endpoint =
            new ChannelDriverEndpoint(e.getKey(), e.getValue(), secrets, log, redactor);
        sites.put(e.getKey(), endpoint);
        endpoint.probe(rpc);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.disasters =
        config.disaster() == null ? null : new CommandDisasterInjector(config.disaster(), redactor);
    this.control =
        config.driver().replicationControl() == null
            ? null
            : new CommandReplicationControl(config.driver().replicationControl(), rpc, redactor);
  }

  private static List<String> reveal(List<SecretValue> secrets) {
    List<String> values = new ArrayList<>();
    secrets.forEach(s -> values.add(s.reveal()));
    return values;
  }

  @Override
  public String name() {
    return "endpoint";
  }

  @Override
  public <T> Optional<T> client(Class<T> type, Optional<String> site) {
    if (type == DriverEndpoint.class && site.isPresent()) {
      return Optional.ofNullable(sites.get(site.get())).map(type::cast);
    }
    if (type == CallLog.class) {
      return Optional.of(type.cast(log));
    }
    if (type == DisasterInjector.class) {
      return Optional.ofNullable(disasters).map(type::cast);
    }
    if (type == ReplicationControl.class) {
      return Optional.ofNullable(control).map(type::cast);
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    sites.values().forEach(ChannelDriverEndpoint::close);
  }
}
