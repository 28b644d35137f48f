package dev.replcert.refdriver.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;

/**
 * One in-JVM run of the command line with captured output; {@code serve} runs until {@link
 * #stop()} (the test's stand-in for SIGTERM).
 */
final class CliRun {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Main main = new Main(new PrintWriter(out, true), new PrintWriter(err, true), stop::await);

  static CliRun run(String... args) {
    CliRun run = new CliRun();
    run.exitCode = run.main.run(args);
    return run;
  }

  /** Starts a long-running command (serve) on its own thread. */
  static CliRun start(String... args) {
    CliRun run = new CliRun();
    Thread thread = new Thread(() -> run.exitCode = run.main.run(args), "cli-" + String.join("-", args).hashCode());
    run.thread = thread;
    thread.start();
    return run;
  }

  private volatile Integer exitCode;
  private Thread thread;

  /** Releases serve and waits for it to return. */
  int stop() throws InterruptedException {
    stop.countDown();
    thread.join(30_000);
    return exitCode();
  }

  Integer exitCode() {
    return exitCode;
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
