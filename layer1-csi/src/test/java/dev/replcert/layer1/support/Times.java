package dev.replcert.layer1.support;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;

/** protobuf well-known time types as java.time. */
public final class Times {

  private Times() {}

  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  public static Duration duration(com.google.protobuf.Duration duration) {
    return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
  }

  /** Seconds with millisecond precision, for evidence. */
  public static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  public static double secondsSince(long nanoTime) {
    return Math.round((System.nanoTime() - nanoTime) / 1e6) / 1000.0;
  }
}
