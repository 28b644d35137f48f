package dev.replcert.refdriver.cli;

import dev.replcert.refdriver.grpc.DriverVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code java -jar replcert-refdriver.jar [serve|probe|defects] ...}; {@code serve} is the
 * default, so the issue's {@code replcert-refdriver --site east --root DIR ...} works as written.
 *
 * <p>Exit codes: 0 done (serve: stopped by SIGTERM/SIGINT), 1 failure (socket in use, probe
 * unhealthy), 2 bad command line.
 */
@Command(
    name = "replcert-refdriver",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "replcert's reference CSI replication driver (CSI + csi-addons over unix sockets).",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {

  private static final Set<String> SUBCOMMANDS = Set.of("serve", "probe", "defects", "help");
  private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version");

  private final PrintWriter out;
  private final PrintWriter err;
  private final ShutdownSignal shutdown;

  /**
   * @param shutdown what {@code serve} waits for (the process signals in {@link #main}; a latch in
   *     tests)
   */
  public Main(PrintWriter out, PrintWriter err, ShutdownSignal shutdown) {
    this.out = out;
    this.err = err;
    this.shutdown = shutdown;
  }

  public static void main(String[] args) {
    Logging.defaults();
    int code =
        new Main(new PrintWriter(System.out, true), new PrintWriter(System.err, true), new ProcessSignals()).run(args);
    System.exit(code);
  }

  /** Runs one command line and returns the exit code; never calls System.exit. */
  public int run(String... args) {
    CommandLine command =
        new CommandLine(this)
            .addSubcommand(new CommandLine(new ServeCommand(shutdown)))
            .addSubcommand(new CommandLine(new ProbeCommand()))
            .addSubcommand(new CommandLine(new DefectsCommand()))
            .setOut(out)
            .setErr(err)
            .setParameterExceptionHandler(Main::badCommandLine)
            .setExecutionExceptionHandler(Main::failed);
    return command.execute(withDefaultSubcommand(args));
  }

  private static String[] withDefaultSubcommand(String[] args) {
    if (args.length > 0 && (SUBCOMMANDS.contains(args[0]) || TOP_LEVEL_FLAGS.contains(args[0]))) {
      return args;
    }
    List<String> serve = new ArrayList<>(List.of("serve"));
    serve.addAll(Arrays.asList(args));
    return serve.toArray(String[]::new);
  }

  /** A bad flag: the reason and where to look, not the whole usage (exit 2). */
  private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** A failure while running (socket in use, cannot bind, ...): its message, exit 1. */
  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    PrintWriter err = command.getErr();
    err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(e.getMessage())) {
      err.println("  cause: " + cause.getMessage());
    }
    err.flush();
    return 1;
  }

  /** The jar's version ({@code Implementation-Version}). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"replcert-refdriver " + DriverVersion.get()};
    }
  }
}
