package dev.replcert.refdriver.grpc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** CIDR notation checks (IPv4 a.b.c.d/n, IPv6 x:x::x/n) without any name lookup. */
public final class Cidrs {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private Cidrs() {}

  /** Whether {@code cidr} is an address and a prefix length that fits it. */
  public static boolean isValid(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0 || slash != cidr.lastIndexOf('/')) {
      return false;
    }
    String address = cidr.substring(0, slash);
    String prefix = cidr.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}")) {
      return false;
    }
    int length = Integer.parseInt(prefix);
    if (isIpv4(address)) {
      return length <= 32;
    }
    return isIpv6(address) && length <= 128;
  }

  /** The single-address CIDR of a client address ({@code /32} or {@code /128}). */
  public static String ofAddress(String address) {
    return address + (isIpv4(address) ? "/32" : "/128");
  }

  static boolean isIpv4(String address) {
    var matcher = IPV4.matcher(address);
    if (!matcher.matches()) {
      return false;
    }
    for (int group = 1; group <= 4; group++) {
      if (Integer.parseInt(matcher.group(group)) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String address) {
    // the pattern keeps host names out: getByName on a literal never queries DNS
    if (!IPV6.matcher(address).matches()) {
      return false;
    }
    try {
      return InetAddress.getByName(address).getAddress().length == 16;
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
