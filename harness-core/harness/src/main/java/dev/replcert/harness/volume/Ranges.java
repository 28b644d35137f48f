package dev.replcert.harness.volume;

/** The range check every implementation applies before touching the storage. */
final class Ranges {

  private Ranges() {}

  /** Throws {@code OUT_OF_RANGE} unless {@code [offset, offset + length)} lies in the volume. */
  static void check(String volume, long size, long offset, long length) {
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new VolumeIoException(
          VolumeIoException.Kind.OUT_OF_RANGE,
          volume + ": range [" + offset + ", " + (offset + length) + ") outside [0, " + size + ")");
    }
  }
}
