package dev.replcert.refdriver.site;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 CIDR range ({@code 192.0.2.0/24}; a bare address is a single-address range).
 * Parsing accepts address literals only, so it never triggers a DNS lookup.
 */
record Cidr(byte[] network, int prefix) {

  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(text, "empty");
    }
    String[] parts = text.trim().split("/", -1);
    if (parts.length > 2 || !LITERAL.matcher(parts[0]).matches()) {
      throw invalid(text, "not an address range");
    }
    byte[] address;
    try {
      address = InetAddress.getByName(parts[0]).getAddress();
    } catch (UnknownHostException e) {
      throw invalid(text, "not an address");
    }
    int bits = address.length * 8;
    int prefix;
    try {
      prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
    } catch (NumberFormatException e) {
      throw invalid(text, "bad prefix length");
    }
    if (prefix < 0 || prefix > bits) {
      throw invalid(text, "prefix length out of range");
    }
    return new Cidr(mask(address, prefix), prefix);
  }

  /** Whether {@code address} (a literal) lies in the range. */
  boolean contains(String address) {
    if (address == null || !LITERAL.matcher(address).matches()) {
      return false;
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Canonical text: the network address and the prefix length. */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  private static byte[] mask(byte[] address, int prefix) {
    int bits = address.length * 8;
    BigInteger value = new BigInteger(1, address);
    BigInteger keep = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
    byte[] raw = value.and(keep).toByteArray();
    byte[] out = new byte[address.length];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    return out;
  }

  private static DriverException invalid(String text, String why) {
    return new DriverException(ErrorCode.INVALID_ARGUMENT, "invalid CIDR '" + text + "': " + why);
  }
}
