package dev.replcert.refdriver.cli;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.server.DriverSite;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code serve} (the default): runs one site until SIGTERM / SIGINT. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run one site of the reference CSI replication driver until SIGTERM or SIGINT.",
      "Prints one line when ready: site <name> serving on <socket>, link <host:port>.",
      "An unreachable peer is not an error: the site runs and reports DEGRADED until the peer is up."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final ShutdownSignal shutdown;

  @Option(names = "--site", required = true, paramLabel = "NAME", description = "Site name, e.g. east.")
  String site;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Directory of the site's volumes and metadata (kept across restarts).")
  Path root;

  @Option(names = "--socket", required = true, paramLabel = "PATH", description = "Unix socket for CSI, csi-addons and the vendor extensions. Node sockets go beside it: node-<id>.sock.")
  Path socket;

  @Option(names = "--addons-socket", paramLabel = "PATH", description = "Separate unix socket for the csi-addons services.")
  Path addonsSocket;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:0",
      converter = Converters.HostPort.class,
      description = "Replication link address of this site (port 0: any free port). Default: ${DEFAULT-VALUE}.")
  InetSocketAddress listen;

  @Option(names = "--peer", paramLabel = "HOST:PORT", converter = Converters.HostPort.class, description = "Replication link address of the peer site.")
  InetSocketAddress peer;

  @Option(
      names = "--sync-period",
      paramLabel = "DURATION",
      converter = Converters.PositiveDuration.class,
      description = "Sync period for every replicated volume (Go notation: 1s, 500ms, 1m), overriding the schedulingInterval parameter.")
  Duration syncPeriod;

  @Option(
      names = "--node",
      paramLabel = "ID=ADDRESS",
      converter = Converters.Node.class,
      description = "A node of this site and its client IP address (repeatable). Default: <site>-node-1 at 192.0.2.11 (west: 198.51.100.11).")
  List<DriverOptions.NodeSpec> nodes = new ArrayList<>();

  // parsed here rather than as a picocli map: its error messages would echo the value
  @Option(
      names = "--secret",
      paramLabel = "KEY=VALUE",
      description = "A secret every csi-addons request must carry (repeatable). Values are never printed.")
  List<String> secrets = new ArrayList<>();

  @Option(
      names = "--defect",
      paramLabel = "ID",
      converter = Converters.DefectId.class,
      description = "Switch on a catalogued defect (repeatable); see the defects command.")
  List<Defect> defects = new ArrayList<>();

  @Option(
      names = "--fence-scope",
      paramLabel = "SCOPE",
      defaultValue = "site",
      converter = Converters.FenceScopeName.class,
      description = "What a network fence reaches: site (this site's storage only, as separate storage per site) or"
          + " mirror (both sites refuse the fenced clients, as one storage stretched over both: Metro DR). Default:"
          + " ${DEFAULT-VALUE}.")
  DriverOptions.FenceScope fenceScope;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      description = "Log level on stderr: error, warn, info, debug (every call), trace. Default: ${DEFAULT-VALUE}.")
  String logLevel;

  ServeCommand(ShutdownSignal shutdown) {
    this.shutdown = shutdown;
  }

  @Override
  public Integer call() throws InterruptedException {
    Logging.configure(spec.commandLine(), logLevel);
    DriverOptions options =
        new DriverOptions(
            site,
            root,
            socket,
            addonsSocket,
            listen,
            peer,
            syncPeriod,
            nodes,
            secrets(),
            defects.isEmpty() ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects),
            fenceScope);
    shutdown.arm();
    DriverSite driver = DriverSite.start(options);
    // a JVM stopped some other way (SIGHUP, System.exit elsewhere) still closes the site
    Thread hook = new Thread(driver::close, "refdriver-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      PrintWriter out = spec.commandLine().getOut();
      out.printf("site %s serving on %s, link %s%n", site, driver.socket(), Converters.format(driver.linkAddress()));
      out.flush();
      shutdown.await();
    } finally {
      driver.close();
      removeHook(hook);
    }
    return 0;
  }

  private Map<String, String> secrets() {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String secret : secrets) {
      int equals = secret.indexOf('=');
      if (equals <= 0) {
        throw new ParameterException(spec.commandLine(), "--secret must be KEY=VALUE (the value is not shown)");
      }
      parsed.put(secret.substring(0, equals), secret.substring(equals + 1));
    }
    return parsed;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting; the hook finds the site closed
    }
  }
}
