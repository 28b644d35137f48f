package dev.replcert.harness.workload;

import dev.replcert.harness.volume.VolumeIo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One run of the workload program, as a pod's container spells it: {@code writer} or {@code verify}
 * and its flags. {@code PodWorkloads} builds the arguments with {@link #args()}; a pod runs them
 * through {@link WorkloadMain}; the lab's kubelet parses the same container with {@link
 * #fromContainer} and calls {@link #run} in-JVM on the volume it published. JDK-only (see {@code
 * WorkloadJar}).
 *
 * <pre>
 *   writer --run-id ID --mode Block|Filesystem --volume PATH --size BYTES
 *          [--record-size 4096] [--rate 50] [--first-sequence 0] [--resume true|false]
 *          [--stop-file PATH] [--paired-volume PATH --paired-run-id ID]
 *          [--termination-log PATH]
 *   verify --run-id ID --mode Block|Filesystem --volume PATH --size BYTES
 *          [--record-size 4096] [--termination-log PATH]
 * </pre>
 */
public final class WorkloadCommand {

  /** The program's main class, as it appears in a container's command. */
  public static final String MAIN_CLASS = "dev.replcert.harness.workload.WorkloadMain";

  /** How often the writer prints a {@link WriterProgress} line. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

  /** How often the writer looks at its {@link StopSignal}. */
  static final Duration STOP_POLL = Duration.ofMillis(100);

  /** What the program does. */
  public enum Action {
    WRITER("writer"),
    VERIFY("verify");

    private final String id;

    Action(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /** What a run leaves: the exit code and the termination message (one line of JSON). */
  public record Outcome(int exitCode, String terminationMessage) {}

  private final Action action;
  private final String runId;
  private final boolean block;
  private final String volume;
  private final long size;
  private final int recordSize;
  private final int rate;
  private final long firstSequence;
  private final boolean resume;
  private final String stopFile;
  private final String terminationLog;
  private final String pairedVolume;
  private final String pairedRunId;

  private WorkloadCommand(Builder b) {
    this.action = Objects.requireNonNull(b.action, "action");
    this.runId = require(b.runId, "--run-id");
    this.block = b.block;
    this.volume = require(b.volume, "--volume");
    if (b.size <= 0) {
      throw new IllegalArgumentException(
          "--size must be a positive number of bytes, got " + b.size);
    }
    this.size = b.size;
    this.recordSize = b.recordSize;
    new RecordFormat(recordSize); // validates the range
    if (b.rate < 0) {
      throw new IllegalArgumentException("--rate must be >= 0, got " + b.rate);
    }
    this.rate = b.rate;
    if (b.firstSequence < 0) {
      throw new IllegalArgumentException("--first-sequence must be >= 0, got " + b.firstSequence);
    }
    this.firstSequence = b.firstSequence;
    this.resume = b.resume;
    this.stopFile = b.stopFile;
    this.terminationLog = b.terminationLog;
    if ((b.pairedVolume == null) != (b.pairedRunId == null)) {
      throw new IllegalArgumentException("--paired-volume and --paired-run-id go together");
    }
    if (b.pairedVolume != null && action != Action.WRITER) {
      throw new IllegalArgumentException("--paired-volume is for the writer only");
    }
    this.pairedVolume = b.pairedVolume;
    this.pairedRunId = b.pairedRunId;
  }

  public static Builder writer() {
    return new Builder(Action.WRITER);
  }

  public static Builder verify() {
    return new Builder(Action.VERIFY);
  }

  /**
   * Parses a container's command and args. The workload's arguments follow {@link #MAIN_CLASS} if
   * the command or args name it (the default launcher); otherwise they are {@code args} (a vendor's
   * own launcher in {@code command}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static WorkloadCommand fromContainer(List<String> command, List<String> args) {
    List<String> tokens = new ArrayList<>();
    if (command != null) {
      tokens.addAll(command);
    }
    int fromArgs = tokens.size();
    if (args != null) {
      tokens.addAll(args);
    }
    int main = tokens.indexOf(MAIN_CLASS);
    List<String> words = tokens.subList(main >= 0 ? main + 1 : fromArgs, tokens.size());
    if (words.isEmpty()) {
      throw new IllegalArgumentException(
          "no workload arguments in command " + command + " args " + args);
    }
    Builder b =
        switch (words.get(0)) {
          case "writer" -> writer();
          case "verify" -> verify();
          default ->
              throw new IllegalArgumentException(
                  "unknown workload action '" + words.get(0) + "', expected writer or verify");
        };
    for (int i = 1; i < words.size(); i += 2) {
      String flag = words.get(i);
      if (i + 1 >= words.size()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      b.flag(flag, words.get(i + 1));
    }
    return b.build();
  }

  /** The workload arguments, starting with the action: what {@link #fromContainer} parses. */
  public List<String> args() {
    List<String> a = new ArrayList<>();
    a.add(action.id());
    a.addAll(List.of("--run-id", runId, "--mode", block ? "Block" : "Filesystem"));
    a.addAll(List.of("--volume", volume, "--size", Long.toString(size)));
    a.addAll(List.of("--record-size", Integer.toString(recordSize)));
    if (action == Action.WRITER) {
      a.addAll(List.of("--rate", Integer.toString(rate)));
      a.addAll(List.of("--first-sequence", Long.toString(firstSequence)));
      if (resume) {
        a.addAll(List.of("--resume", "true"));
      }
      if (stopFile != null) {
        a.addAll(List.of("--stop-file", stopFile));
      }
      if (pairedVolume != null) {
        a.addAll(List.of("--paired-volume", pairedVolume, "--paired-run-id", pairedRunId));
      }
    }
    if (terminationLog != null) {
      a.addAll(List.of("--termination-log", terminationLog));
    }
    return a;
  }

  /**
   * Runs the writer until {@code stop} says so or a write fails (a demoted volume refuses writes:
   * the report says READ_ONLY), printing progress lines to {@code out}; or reads the volume once
   * and reports what it holds. Never throws: a failure is an {@code error} outcome with exit code
   * 1. An interrupt stops the writer like the stop signal does.
   */
  public Outcome run(VolumeIo io, PrintStream out, StopSignal stop) {
    return run(io, null, out, stop);
  }

  /**
   * As {@link #run(VolumeIo, PrintStream, StopSignal)}; a writer with {@code --paired-volume}
   * writes dependent records to {@code io} and then {@code paired} ({@link PairedRecordWriter}).
   */
  public Outcome run(VolumeIo io, VolumeIo paired, PrintStream out, StopSignal stop) {
    String phase = action == Action.WRITER ? "write" : "verify";
    try {
      if (pairedVolume != null && paired == null) {
        throw new IllegalStateException("--paired-volume " + pairedVolume + " is not open");
      }
      String message =
          action != Action.WRITER
              ? check(io, out)
              : pairedVolume == null ? write(io, out, stop) : writePaired(io, paired, out, stop);
      return new Outcome(0, message);
    } catch (RuntimeException e) {
      out.println("replcert workload " + phase + " failed: " + e);
      out.flush();
      return new Outcome(1, TerminationMessage.error(phase, e.toString()));
    }
  }

  private String write(VolumeIo io, PrintStream out, StopSignal stop) {
    RecordWriter writer =
        RecordWriter.builder(io, recordRunId())
            .format(new RecordFormat(recordSize))
            .recordsPerSecond(rate)
            .firstSequence(resumeAt(io))
            .build();
    writer.start();
    return reportUntilStopped(writer::report, writer::stop, out, stop);
  }

  /**
   * Prints the writer's progress every {@link #PROGRESS_INTERVAL} until it stops by itself or
   * {@code stop} says so; then stops it and returns its final report as the termination message.
   */
  private static String reportUntilStopped(
      Supplier<WriterReport> progress, Supplier<WriterReport> stopWriter, PrintStream out, StopSignal stop) {
    long nextProgress = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      WriterReport report = progress.get();
      if (report.stoppedBecause() != WriterReport.StopReason.RUNNING || stop.requested()) {
        break;
      }
      if (System.nanoTime() - nextProgress >= 0) {
        out.println(WriterProgress.line(report));
        out.flush();
        nextProgress += PROGRESS_INTERVAL.toNanos();
      }
      LockSupport.parkNanos(STOP_POLL.toNanos());
    }
    WriterReport last = stopWriter.get();
    out.println(WriterProgress.line(last));
    out.flush();
    return TerminationMessage.writer(last);
  }

  private String writePaired(VolumeIo io, VolumeIo paired, PrintStream out, StopSignal stop) {
    RecordFormat format = new RecordFormat(recordSize);
    UUID secondRun = recordRunId(pairedRunId);
    // a pair resumes at its consistent point: after the last step both volumes hold
    long next = firstSequence;
    if (resume) {
      long first = new RecordVerifier(io, format, recordRunId()).lastContiguous();
      long second = new RecordVerifier(paired, format, secondRun).lastContiguous();
      // as an application refuses to start on a log and data from different times: any
      // crash-consistent copy of the pair holds the same last record on both or one fewer on the
      // second (PairedRecordWriter)
      if (second > first || second < first - 1) {
        throw new IllegalStateException(
            "the paired volumes hold records of different points in time: "
                + volume + " holds #0..#" + first + ", " + pairedVolume + " holds #0..#" + second
                + " (a crash-consistent copy holds the same last record on both, or one fewer on "
                + pairedVolume + ")");
      }
      next = Math.max(firstSequence, Math.min(first, second) + 1);
    }
    PairedRecordWriter writer =
        new PairedRecordWriter(
            RecordWriter.builder(io, recordRunId()).format(format).firstSequence(next).build(),
            RecordWriter.builder(paired, secondRun).format(format).firstSequence(next).build(),
            rate);
    writer.start();
    return reportUntilStopped(writer::report, writer::stop, out, stop);
  }

  /**
   * Where the writer starts: {@code --first-sequence}, or with {@code --resume} after the last
   * record of the run the volume holds contiguously, as an application recovers from its own data
   * after a failover (the same pod spec, delivered to the other cluster, continues the history).
   */
  private long resumeAt(VolumeIo io) {
    if (!resume) {
      return firstSequence;
    }
    long held = new RecordVerifier(io, new RecordFormat(recordSize), recordRunId()).lastContiguous();
    return Math.max(firstSequence, held + 1);
  }

  private String check(VolumeIo io, PrintStream out) {
    Verification verification =
        new RecordVerifier(io, new RecordFormat(recordSize), recordRunId()).verify();
    out.println(verification.describe());
    out.flush();
    return TerminationMessage.verification(verification);
  }

  /**
   * The UUID inside the records: the run id itself if it is a UUID, otherwise a name-based UUID of
   * it, so writer and verifier agree on any label-safe id.
   */
  public static UUID recordRunId(String runId) {
    try {
      return UUID.fromString(runId);
    } catch (IllegalArgumentException e) {
      return UUID.nameUUIDFromBytes(
          ("replcert-data-run:" + runId).getBytes(StandardCharsets.UTF_8));
    }
  }

  public UUID recordRunId() {
    return recordRunId(runId);
  }

  public Action action() {
    return action;
  }

  public String runId() {
    return runId;
  }

  public boolean block() {
    return block;
  }

  /** The device (block) or mount directory (filesystem) inside the container. */
  public String volume() {
    return volume;
  }

  public long size() {
    return size;
  }

  public int recordSize() {
    return recordSize;
  }

  public int rate() {
    return rate;
  }

  public long firstSequence() {
    return firstSequence;
  }

  /** The downward API file the writer polls; null: none (the lab signals in-JVM). */
  /** Whether the writer continues after what the volume already holds of the run. */
  public boolean resume() {
    return resume;
  }

  public String stopFile() {
    return stopFile;
  }

  /** The second volume of a paired writer (device or mount directory), or null. */
  public String pairedVolume() {
    return pairedVolume;
  }

  /** The data run id of the paired volume's records, or null. */
  public String pairedRunId() {
    return pairedRunId;
  }

  /** Where {@link WorkloadMain} writes the termination message; null: /dev/termination-log. */
  public String terminationLog() {
    return terminationLog;
  }

  @Override
  public String toString() {
    return "WorkloadCommand" + args();
  }

  private static String require(String value, String flag) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(flag + " is required");
    }
    return value;
  }

  /** Settings of a command; required: run id, mode, volume, size. */
  public static final class Builder {
    private final Action action;
    private String runId;
    private boolean block;
    private String volume;
    private long size;
    private int recordSize = RecordFormat.DEFAULT_RECORD_SIZE;
    private int rate = 50;
    private long firstSequence;
    private boolean resume;
    private String stopFile;
    private String terminationLog;
    private String pairedVolume;
    private String pairedRunId;
    private boolean modeSet;

    private Builder(Action action) {
      this.action = action;
    }

    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder block(boolean block) {
      this.block = block;
      this.modeSet = true;
      return this;
    }

    public Builder volume(String volume) {
      this.volume = volume;
      return this;
    }

    public Builder size(long size) {
      this.size = size;
      return this;
    }

    public Builder recordSize(int recordSize) {
      this.recordSize = recordSize;
      return this;
    }

    public Builder rate(int recordsPerSecond) {
      this.rate = recordsPerSecond;
      return this;
    }

    public Builder firstSequence(long firstSequence) {
      this.firstSequence = firstSequence;
      return this;
    }

    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    public Builder stopFile(String stopFile) {
      this.stopFile = stopFile;
      return this;
    }

    public Builder terminationLog(String terminationLog) {
      this.terminationLog = terminationLog;
      return this;
    }

    /** Dependent writes to a second volume with its own data run (see {@link PairedRecordWriter}). */
    public Builder paired(String volume, String runId) {
      this.pairedVolume = volume;
      this.pairedRunId = runId;
      return this;
    }

    public WorkloadCommand build() {
      if (!modeSet) {
        throw new IllegalArgumentException("--mode is required (Block or Filesystem)");
      }
      return new WorkloadCommand(this);
    }

    private void flag(String flag, String value) {
      switch (flag) {
        case "--run-id" -> runId(value);
        case "--mode" -> {
          switch (value) {
            case "Block" -> block(true);
            case "Filesystem" -> block(false);
            default ->
                throw new IllegalArgumentException(
                    "--mode must be Block or Filesystem, got " + value);
          }
        }
        case "--volume" -> volume(value);
        case "--size" -> size(number(flag, value));
        case "--record-size" -> recordSize((int) number(flag, value));
        case "--rate" -> rate((int) number(flag, value));
        case "--first-sequence" -> firstSequence(number(flag, value));
        case "--resume" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--resume must be true or false, got " + value);
          }
          resume(Boolean.parseBoolean(value));
        }
        case "--stop-file" -> stopFile(value);
        case "--termination-log" -> terminationLog(value);
        case "--paired-volume" -> pairedVolume = value;
        case "--paired-run-id" -> pairedRunId = value;
        default -> throw new IllegalArgumentException("unknown workload flag " + flag);
      }
    }

    private static long number(String flag, String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " expects a number, got '" + value + "'");
      }
    }
  }
}
