package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.config.ConfigException;
import dev.byoc.sourceip.config.Durations;
import dev.byoc.sourceip.config.Settings;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.sandbox.Sandbox;
import dev.byoc.sourceip.sandbox.StatusTable;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the whole product locally: embedded Kubernetes API, Twilio emulator, operator, examples. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Runs the product locally: Kubernetes API, Twilio emulator, operator, examples.",
      "Starts an embedded Kubernetes API with the CRDs, the Twilio emulator (seeded with the SIP",
      "domains the manifests name, and the IP records they name by SID) and the operator, applies",
      "a directory of manifests (IpRecords, SourceIpMappings) and shows a live table until every",
      "resource is Ready. No cluster and no Twilio account are needed. While it runs, edits to the",
      "directory are applied and removed files deleted."
    })
final class SandboxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--apply",
      paramLabel = "DIR",
      defaultValue = "deploy/examples",
      description = "Directory of manifests to apply. Default: ${DEFAULT-VALUE}.")
  Path applyDir;

  @Option(
      names = "--twilio-base-url",
      paramLabel = "URL",
      description =
          "Use this Twilio-compatible server instead of starting an emulator; credentials then"
              + " come from TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY with"
              + " TWILIO_API_SECRET). Default: an emulator in this process.")
  String twilioBaseUrl;

  @Option(
      names = "--exit-when-ready",
      description =
          "Exit 0 once every resource is Ready; exit 1 with the reason when one is Stalled (fails"
              + " until someone changes something) or --timeout passes.")
  boolean exitWhenReady;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      description = "With --exit-when-ready: how long to wait. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Where to write a kubeconfig for the embedded API. Default: a new temp directory.")
  Path kubeconfig;

  @Option(
      names = "--kube-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "Port of the embedded Kubernetes API (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int kubePort;

  @Option(
      names = "--twilio-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "Port of the Twilio emulator (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int twilioPort;

  @Option(
      names = "--management-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "Loopback port of the operator's management endpoint (/healthz, /readyz, /metrics; 0 ="
              + " any free port). Default: ${DEFAULT-VALUE}.")
  int managementPort;

  @Option(
      names = "--resync-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How often the operator lists Twilio to find drift. Default: ${DEFAULT-VALUE}.")
  String resyncInterval;

  Map<String, String> environment = System.getenv();

  // held so that the level sticks: java.util.logging keeps loggers only weakly
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /** The embedded parts log every request at INFO; the table is the sandbox's output. */
  private static void quietEmbeddedParts() {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    for (String name :
        List.of(
            "io.javaoperatorsdk",
            // JOSDK's INFO line at start uses this name, not a package
            "Default ConfigurationService implementation",
            "io.fabric8",
            "dev.byoc.sourceip.SourceIpOperator")) {
      if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration wait;
    Duration resync;
    TwilioConfig twilio = null;
    try {
      wait = duration("--timeout", timeout);
      resync = duration("--resync-interval", resyncInterval);
      if (!Files.isDirectory(applyDir)) {
        throw new ConfigException(
            "--apply "
                + applyDir
                + ": no such directory (run from the project's root, or pass --apply DIR)");
      }
      if (twilioBaseUrl != null) {
        twilio =
            TwilioConfig.from(
                    Settings.from(
                        n -> n.equals("TWILIO_BASE_URL") ? twilioBaseUrl : environment.get(n)))
                .requireCredentials();
      }
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    quietEmbeddedParts();
    Sandbox sandbox;
    try {
      sandbox =
          Sandbox.start(
              new Sandbox.Options(applyDir, twilio, kubePort, twilioPort, managementPort, resync));
    } catch (RuntimeException e) {
      err.println("error: the sandbox could not start: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    try (sandbox) {
      Path config = sandbox.kubernetes().writeKubeconfig(kubeconfigPath());
      describe(out, sandbox, config);
      String note = sandbox.sync(applyDir);
      if (note != null) {
        out.println("note: " + note);
      }
      out.flush();
      return exitWhenReady ? untilDone(sandbox, out, err, wait) : live(sandbox, out, err);
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  private int untilDone(Sandbox sandbox, PrintWriter out, PrintWriter err, Duration wait)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    String shown = "";
    while (true) {
      List<HasMetadata> resources = sandbox.resources();
      shown = show(out, resources, shown);
      switch (StatusTable.state(resources)) {
        case READY -> {
          out.println("All " + resources.size() + " resources are Ready.");
          out.flush();
          return ExitCodes.OK;
        }
        case FAILED -> {
          StatusTable.failures(resources).forEach(f -> err.println("error: " + f));
          err.flush();
          return ExitCodes.FAILURE;
        }
        default -> {
          if (Instant.now().isAfter(deadline)) {
            err.println("error: not every resource was Ready after " + timeout);
            err.flush();
            return ExitCodes.FAILURE;
          }
        }
      }
      Thread.sleep(250); // polling interval of the live table, not synchronisation
    }
  }

  private int live(Sandbox sandbox, PrintWriter out, PrintWriter err) throws InterruptedException {
    String shown = "";
    String fingerprint = fingerprint(applyDir);
    StatusTable.State last = StatusTable.State.PENDING;
    while (!Thread.currentThread().isInterrupted()) {
      List<HasMetadata> resources = sandbox.resources();
      String before = shown;
      shown = show(out, resources, shown);
      StatusTable.State state = StatusTable.state(resources);
      // also after a redrawn table: resources applied with kubectl may be Ready by the next look
      if (state == StatusTable.State.READY && (state != last || !shown.equals(before))) {
        out.println(
            "All " + resources.size() + " resources are Ready. Still running: Ctrl-C stops.");
        out.flush();
      }
      last = state;
      String now = fingerprint(applyDir);
      if (!now.equals(fingerprint)) {
        fingerprint = now;
        try {
          String note = sandbox.sync(applyDir);
          out.println("Applied " + applyDir + " again" + (note == null ? "" : " (" + note + ")"));
        } catch (RuntimeException e) {
          err.println("error: " + e.getMessage());
          err.flush();
        }
      }
      Thread.sleep(500); // polling interval of the live table, not synchronisation
    }
    return ExitCodes.OK;
  }

  private static String show(PrintWriter out, List<HasMetadata> resources, String shown) {
    String table = StatusTable.render(resources);
    if (!table.equals(shown)) {
      out.println();
      out.print(table);
      out.flush();
    }
    return table;
  }

  private void describe(PrintWriter out, Sandbox sandbox, Path config) {
    out.println("sourceip-operator sandbox");
    out.println("  Kubernetes API: " + sandbox.kubernetes().url() + " (fabric8's mock server)");
    out.println("  kubeconfig:     " + config);
    out.println(
        "  Twilio:         "
            + (sandbox.emulator() != null
                ? sandbox.emulator().baseUrl()
                    + " (emulator, account "
                    + sandbox.twilio().accountSid()
                    + ")"
                : twilioBaseUrl));
    out.println(
        "  management:     "
            + sandbox.management().url()
            + " (try: curl "
            + sandbox.management().url()
            + ManagementPaths.METRICS
            + ")");
    out.println("  applying:       " + applyDir.toAbsolutePath().normalize());
    if (!exitWhenReady) {
      out.println(
          "  try:            kubectl --kubeconfig "
              + config
              + " get iprecords,sourceipmappings -A");
      out.println("  Edit, add or remove files in the directory to apply or delete; Ctrl-C stops.");
    }
  }

  private Path kubeconfigPath() throws IOException {
    return kubeconfig != null
        ? kubeconfig
        : Files.createTempDirectory("sourceip-sandbox").resolve("kubeconfig");
  }

  private static Duration duration(String flag, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(flag + " '" + value + "' is not a duration such as 30s or 2m");
    }
  }

  /** Names, sizes and modification times of the directory's manifests: changes when they do. */
  private static String fingerprint(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .sorted()
          .map(
              p -> {
                try {
                  return p.getFileName() + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p);
                } catch (IOException e) {
                  return p.getFileName() + ":gone";
                }
              })
          .reduce("", (a, b) -> a + "\n" + b);
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
