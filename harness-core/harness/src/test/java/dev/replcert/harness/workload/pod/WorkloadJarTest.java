package dev.replcert.harness.workload.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.volume.HandleDescriptor;
import dev.replcert.harness.workload.TerminationMessage;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WriterProgress;
import dev.replcert.harness.workload.WriterReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar shipped to workload pods: JDK-only, reproducible, and it really runs. */
class WorkloadJarTest {

  private static final long SIZE = 4L << 20;

  @TempDir Path dir;

  @Test
  void theJarHoldsHarnessClassesThatReferenceOnlyTheJdkAndEachOther() throws IOException {
    WorkloadJar jar = WorkloadJar.get();

    Set<String> inside = new TreeSet<>();
    List<byte[]> classFiles = new ArrayList<>();
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar.bytes()))) {
      assertThat(in.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(WorkloadCommand.MAIN_CLASS);
      for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
        inside.add(e.getName().replaceAll("\\.class$", ""));
        classFiles.add(in.readAllBytes());
      }
    }

    assertThat(inside)
        .contains(
            "dev/replcert/harness/workload/WorkloadMain",
            "dev/replcert/harness/workload/RecordWriter",
            "dev/replcert/harness/workload/RecordVerifier",
            "dev/replcert/harness/volume/VolumeIo",
            "dev/replcert/harness/volume/FileVolumeIo")
        .allMatch(name -> name.startsWith("dev/replcert/harness/"))
        .doesNotContain("dev/replcert/harness/volume/ReferenceDriverVolumeIo");
    for (byte[] classFile : classFiles) {
      assertThat(WorkloadJar.references(classFile))
          .allMatch(
              ref -> ref.startsWith("java/") || inside.contains(ref), "JDK or inside the jar");
    }
  }

  @Test
  void theJarIsReproducibleAndNamesItsConfigMap() {
    WorkloadJar again = WorkloadJar.build(dev.replcert.harness.workload.WorkloadMain.class);

    assertThat(again.sha256()).isEqualTo(WorkloadJar.get().sha256());
    assertThat(again.configMapName()).matches("replcert-workload-[0-9a-f]{12}");
    assertThat(again.size()).isLessThan(512 * 1024); // a ConfigMap holds 1 MiB
  }

  @Test
  void aClassNeedingMoreThanTheJdkCannotBeShipped() {
    assertThatThrownBy(() -> WorkloadJar.build(HandleDescriptor.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("depend on the JDK alone")
        .hasMessageContaining("com.fasterxml.jackson");
  }

  @Test
  void theJarRunsTheWriterAndThenTheVerifierInAChildJvm() throws Exception {
    Path jar = Files.write(dir.resolve("workload.jar"), WorkloadJar.get().bytes());
    Path mount = Files.createDirectories(dir.resolve("mount"));
    Path stop = dir.resolve("stop");
    Path writerLog = dir.resolve("writer-termination-log");
    Path verifierLog = dir.resolve("verifier-termination-log");
    WorkloadCommand writer =
        WorkloadCommand.writer()
            .runId("child-jvm")
            .block(false)
            .volume(mount.toString())
            .size(SIZE)
            .rate(100)
            .stopFile(stop.toString())
            .terminationLog(writerLog.toString())
            .build();

    Process writing = start(jar, writer);
    StringBuffer out = drain(writing.getInputStream());
    await("child writer acknowledged record 5")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                WriterProgress.last(out.toString()).map(WriterReport::lastAcked).orElse(-1L) >= 5);
    Files.writeString(stop, "true");
    assertThat(writing.waitFor(30, TimeUnit.SECONDS)).as("writer exited; output: %s", out).isTrue();
    WriterReport report =
        ((TerminationMessage.Written) TerminationMessage.parse(Files.readString(writerLog)))
            .report();

    WorkloadCommand verifier =
        WorkloadCommand.verify()
            .runId("child-jvm")
            .block(false)
            .volume(mount.toString())
            .size(SIZE)
            .terminationLog(verifierLog.toString())
            .build();
    Process verifying = start(jar, verifier);
    StringBuffer verifyOut = drain(verifying.getInputStream());
    assertThat(verifying.waitFor(30, TimeUnit.SECONDS))
        .as("verifier exited; %s", verifyOut)
        .isTrue();
    Verification found =
        ((TerminationMessage.Verified) TerminationMessage.parse(Files.readString(verifierLog)))
            .verification();

    assertThat(writing.exitValue()).isZero();
    assertThat(verifying.exitValue()).isZero();
    assertThat(mount.resolve("replcert.data")).exists();
    assertThat(report.lastAcked()).isGreaterThanOrEqualTo(5);
    assertThat(found.lastContiguous()).isEqualTo(report.lastAcked());
    assertThat(found.isPrefixOf(report)).as(found.describe(report)).isTrue();
  }

  @Test
  void aBlockWriterInAChildJvmStoppedBySigtermStillReports() throws Exception {
    Path jar = Files.write(dir.resolve("workload.jar"), WorkloadJar.get().bytes());
    Path device = dir.resolve("device.img");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(device.toFile(), "rw")) {
      file.setLength(SIZE);
    }
    Path log = dir.resolve("termination-log");
    WorkloadCommand writer =
        WorkloadCommand.writer()
            .runId("child-jvm-block")
            .block(true)
            .volume(device.toString())
            .size(SIZE)
            .rate(100)
            .terminationLog(log.toString())
            .build();

    Process writing = start(jar, writer);
    StringBuffer out = drain(writing.getInputStream());
    await("child writer acknowledged record 5")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                WriterProgress.last(out.toString()).map(WriterReport::lastAcked).orElse(-1L) >= 5);
    // SIGTERM, as for a deleted pod (through the handle: Process.destroy() also closes our pipes)
    writing.toHandle().destroy();
    assertThat(writing.waitFor(30, TimeUnit.SECONDS)).as("writer exited; output: %s", out).isTrue();

    WriterReport report =
        ((TerminationMessage.Written) TerminationMessage.parse(Files.readString(log))).report();
    assertThat(report.stoppedBecause()).isEqualTo(WriterReport.StopReason.STOPPED);
    assertThat(report.lastAcked()).isGreaterThanOrEqualTo(5);
    await("the last progress line, read to the end of the output")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(WriterProgress.last(out.toString())).contains(report));
  }

  @Test
  void badArgumentsEndTheChildJvmWithAnErrorMessage() throws Exception {
    Path jar = Files.write(dir.resolve("workload.jar"), WorkloadJar.get().bytes());
    Path log = dir.resolve("termination-log");
    List<String> args =
        List.of(
            "verify",
            "--run-id",
            "r",
            "--mode",
            "Block",
            "--volume",
            dir.resolve("no-device").toString(),
            "--size",
            "4096",
            "--termination-log",
            log.toString());

    Process p = new ProcessBuilder(command(jar, args)).redirectErrorStream(true).start();
    drain(p.getInputStream());

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(TerminationMessage.parse(Files.readString(log)))
        .isInstanceOfSatisfying(
            TerminationMessage.Failed.class, f -> assertThat(f.phase()).isEqualTo("open volume"));
  }

  private static Process start(Path jar, WorkloadCommand command) throws IOException {
    return new ProcessBuilder(command(jar, command.args())).redirectErrorStream(true).start();
  }

  private static List<String> command(Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", jar.toString(), WorkloadCommand.MAIN_CLASS));
    command.addAll(args);
    return command;
  }

  private static StringBuffer drain(InputStream in) {
    StringBuffer text = new StringBuffer();
    Thread t =
        new Thread(
            () -> {
              try {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                  text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                text.append("\n[output read failed: ").append(e).append(']');
              }
            },
            "child-output");
    t.setDaemon(true);
    t.start();
    return text;
  }
}
