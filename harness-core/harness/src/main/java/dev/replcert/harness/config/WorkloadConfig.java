package dev.replcert.harness.config;

/**
 * The data-checking workload (DESIGN.md "Workloads and data checks"): on real clusters a pod from
 * {@code image} writes {@code writesPerSecond} records of {@code recordSize} bytes each.
 */
public record WorkloadConfig(String image, Integer recordSize, Integer writesPerSecond) {

  public static final String DEFAULT_IMAGE = "quay.io/replcert/workload:0.1";
  public static final int DEFAULT_RECORD_SIZE = 4096;
  public static final int DEFAULT_WRITES_PER_SECOND = 50;
  public static final int MIN_RECORD_SIZE = 512;
  public static final int MAX_RECORD_SIZE = 1 << 20;

  public WorkloadConfig {
    image = image == null ? DEFAULT_IMAGE : image;
    recordSize = recordSize == null ? DEFAULT_RECORD_SIZE : recordSize;
    writesPerSecond = writesPerSecond == null ? DEFAULT_WRITES_PER_SECOND : writesPerSecond;
  }
}
