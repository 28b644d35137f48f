package dev.replcert.harness.record;

import java.util.Objects;

/** A text attachment of a test (a gRPC call log, a DR timeline, a dump at a timeout). */
public record Attachment(String name, String mediaType, String content) {
  public Attachment {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(content, "content");
  }
}
