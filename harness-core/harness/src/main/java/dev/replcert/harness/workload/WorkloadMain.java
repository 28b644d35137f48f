package dev.replcert.harness.workload;

import dev.replcert.harness.volume.FileVolumeIo;
import dev.replcert.harness.volume.VolumeIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The workload program's entry point in a pod: {@code java -cp /replcert/workload.jar
 * dev.replcert.harness.workload.WorkloadMain writer|verify ...} (see {@link WorkloadCommand}). It
 * opens the block device or the file {@code replcert.data} in the mounted directory, runs the
 * command, writes the result as one line of JSON to the termination log and exits with the
 * command's exit code. SIGTERM (pod deletion) stops a writer like the stop annotation does.
 */
public final class WorkloadMain {

  /** Where Kubernetes reads a container's termination message by default. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  private static final long SHUTDOWN_GRACE_SECONDS = 20;

  private WorkloadMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    WorkloadCommand command;
    try {
      command = WorkloadCommand.fromContainer(List.of(), List.of(args));
    } catch (IllegalArgumentException e) {
      System.out.println("replcert workload: " + e.getMessage());
      terminate(TERMINATION_LOG, TerminationMessage.error("arguments", e.getMessage()));
      return 2;
    }
    String log = command.terminationLog() == null ? TERMINATION_LOG : command.terminationLog();
    VolumeIo io;
    try {
      Path path = Path.of(command.volume());
      io =
          command.action() == WorkloadCommand.Action.WRITER
              ? FileVolumeIo.open(path, command.block(), command.size())
              : FileVolumeIo.openReadOnly(path, command.block(), command.size());
    } catch (RuntimeException e) {
      System.out.println("replcert workload: cannot open " + command.volume() + ": " + e);
      terminate(log, TerminationMessage.error("open volume", e.toString()));
      return 1;
    }
    VolumeIo paired = null;
    if (command.pairedVolume() != null) {
      try {
        paired = FileVolumeIo.open(Path.of(command.pairedVolume()), command.block(), command.size());
      } catch (RuntimeException e) {
        System.out.println("replcert workload: cannot open " + command.pairedVolume() + ": " + e);
        terminate(log, TerminationMessage.error("open volume", e.toString()));
        io.close();
        return 1;
      }
    }
    StopSignal stop =
        command.stopFile() == null
            ? StopSignal.never()
            : StopSignal.file(Path.of(command.stopFile()));
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> awaitQuietly(done), "replcert-workload-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    StopSignal terminating = () -> hookStarted(hook);
    try (io; VolumeIo second = paired) {
      WorkloadCommand.Outcome outcome = command.run(io, second, System.out, stop.or(terminating));
      terminate(log, outcome.terminationMessage());
      return outcome.exitCode();
    } finally {
      done.countDown();
    }
  }

  /** A shutdown hook that has started means SIGTERM: the writer stops, main writes its report. */
  private static boolean hookStarted(Thread hook) {
    return hook.getState() != Thread.State.NEW;
  }

  private static void awaitQuietly(CountDownLatch done) {
    try {
      done.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void terminate(String log, String message) {
    try {
      Files.writeString(Path.of(log), message, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      System.err.println("replcert workload: cannot write termination log " + log + ": " + e);
      System.err.println(message);
    }
  }
}
