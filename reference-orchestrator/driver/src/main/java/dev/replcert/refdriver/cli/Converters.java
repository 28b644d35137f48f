package dev.replcert.refdriver.cli;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.grpc.Cidrs;
import dev.replcert.api.k8s.GoDuration;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the driver's flag values; their messages are what a user sees. */
final class Converters {

  private Converters() {}

  /** {@code host:port} or {@code [v6]:port}. */
  static final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("'" + value + "' is not host:port (e.g. 127.0.0.1:7400)");
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' has no numeric port");
      }
      if (port < 0 || port > 65535) {
        throw new TypeConversionException("port " + port + " of '" + value + "' is out of range");
      }
      return new InetSocketAddress(host, port);
    }
  }

  static String format(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** A positive Go-style duration. */
  static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        // the engine's parser, so the flag and the schedulingInterval parameter read alike
        return GoDuration.parsePositive(value);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new TypeConversionException("'" + value + "' is not a positive duration (examples: 1s, 500ms, 1m30s)");
      }
    }
  }

  /** {@code id=address}: a node id and its client IP address. */
  static final class Node implements ITypeConverter<DriverOptions.NodeSpec> {
    @Override
    public DriverOptions.NodeSpec convert(String value) {
      int equals = value.indexOf('=');
      if (equals <= 0 || equals == value.length() - 1) {
        throw new TypeConversionException("'" + value + "' is not id=address (e.g. east-node-1=192.0.2.11)");
      }
      String id = value.substring(0, equals);
      String address = value.substring(equals + 1);
      if (!id.matches("[A-Za-z0-9._-]+")) {
        throw new TypeConversionException("node id '" + id + "' may only hold letters, digits, '.', '_' and '-'");
      }
      if (!Cidrs.isValid(Cidrs.ofAddress(address))) {
        throw new TypeConversionException("node address '" + address + "' is not an IP address");
      }
      return new DriverOptions.NodeSpec(id, address);
    }
  }

  /** A defect id of the catalog (case-insensitive); an unknown one lists the valid ids. */
  static final class DefectId implements ITypeConverter<Defect> {
    @Override
    public Defect convert(String value) {
      return Defect.byId(value.toUpperCase(Locale.ROOT).replace('-', '_'))
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "unknown defect '" + value + "'; valid ids: "
                          + Arrays.stream(Defect.values()).map(Defect::name).collect(Collectors.joining(", "))));
    }
  }

  /** {@code site} or {@code mirror} (any case). */
  static final class FenceScopeName implements ITypeConverter<DriverOptions.FenceScope> {
    @Override
    public DriverOptions.FenceScope convert(String value) {
      for (DriverOptions.FenceScope scope : DriverOptions.FenceScope.values()) {
        if (scope.name().equalsIgnoreCase(value)) {
          return scope;
        }
      }
      throw new TypeConversionException("unknown fence scope '" + value + "'; valid: site, mirror");
    }
  }
}
