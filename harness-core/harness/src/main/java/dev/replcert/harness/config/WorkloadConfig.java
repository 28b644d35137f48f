package dev.replcert.harness.config;

import java.util.List;

/**
 * The data-checking workload (DESIGN.md "Workloads and data checks", docs/workloads.md): on real
 * clusters a pod from {@code image} runs {@code command} (the workload program's launcher; its
 * arguments follow as the container's args) and writes {@code writesPerSecond} records of {@code
 * recordSize} bytes each. The default runs the harness's own JDK-only workload jar, shipped in a
 * ConfigMap, on a stock JRE image.
 */
public record WorkloadConfig(
    String image, Integer recordSize, Integer writesPerSecond, List<String> command) {

  public static final String DEFAULT_IMAGE = "docker.io/library/eclipse-temurin:17-jre";

  /** Runs the workload jar mounted from its ConfigMap at /replcert. */
  public static final List<String> DEFAULT_COMMAND =
      List.of(
          "java", "-cp", "/replcert/workload.jar", "dev.replcert.harness.workload.WorkloadMain");

  public static final int DEFAULT_RECORD_SIZE = 4096;
  public static final int DEFAULT_WRITES_PER_SECOND = 50;
  public static final int MIN_RECORD_SIZE = 512;
  public static final int MAX_RECORD_SIZE = 1 << 20;

  public WorkloadConfig {
    image = image == null ? DEFAULT_IMAGE : image;
    recordSize = recordSize == null ? DEFAULT_RECORD_SIZE : recordSize;
    writesPerSecond = writesPerSecond == null ? DEFAULT_WRITES_PER_SECOND : writesPerSecond;
    command = command == null ? DEFAULT_COMMAND : List.copyOf(command);
  }

  /** The default launcher with this image, record size and rate. */
  public WorkloadConfig(String image, Integer recordSize, Integer writesPerSecond) {
    this(image, recordSize, writesPerSecond, null);
  }
}
