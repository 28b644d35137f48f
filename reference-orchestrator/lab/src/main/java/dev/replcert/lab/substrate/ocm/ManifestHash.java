package dev.replcert.lab.substrate.ocm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The hash of a manifest the work agent records on what it applied: the same manifest always
 * gives the same hash, whatever order its fields come in, so a resync of an unchanged work never
 * counts as a change.
 */
final class ManifestHash {

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ManifestHash() {}

  static String of(Map<String, Object> manifest) {
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(manifest);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a manifest", e);
    }
  }
}
