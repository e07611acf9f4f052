package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.emulator.EmulatorAccount;
import dev.byoc.sourceip.emulator.EmulatorApiKey;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.Ipv4Block;
import dev.byoc.sourceip.emulator.NeighbourSettings;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Runs the Twilio emulator as a standalone server until SIGTERM/SIGINT. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Serves a stateful, in-memory Twilio (Voice v1 SourceIpMappings and IpRecords, API 2010 SIP"
          + " Domains) on one port, with fault injection and an admin API under /_emulator/.",
      "Prints the base URL and account SIDs on stdout (and the token of a generated account;"
          + " given secrets are not echoed), then runs until SIGTERM or SIGINT."
    })
public final class EmulatorCommand implements Callable<Integer> {
  private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");
  private static final Pattern KEY_SID = Pattern.compile("^SK[0-9a-fA-F]{32}$");
  private static final Pattern HTTP_METHOD = Pattern.compile("^[A-Za-z]+$");

  @CommandLine.Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      converter = PortConverter.class,
      description = "TCP port to listen on; 0 picks a free port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description = "Address to listen on (0.0.0.0 for all). Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(
      names = "--public-base-url",
      paramLabel = "URL",
      description =
          "Base URL written into resource URLs and TWILIO_BASE_URL instead of the listening"
              + " address (e.g. a Service URL). Default: the listening address.")
  String publicBaseUrl;

  @Option(
      names = "--seed-examples",
      description =
          "Hold what the project's examples (deploy/examples) name: the SIP domains and IP records"
              + " their mappings name, in the first account, and the accounts of their Secrets"
              + " (two-teams.yaml), so that kubectl apply -f deploy/examples/ converges against"
              + " this emulator. The chart's emulator.enabled sets it.")
  boolean seedExamples;

  @Option(
      names = "--account",
      paramLabel = "SID:TOKEN",
      converter = AccountConverter.class,
      description = "An account the emulator accepts (repeatable). Default: one generated account.")
  List<EmulatorAccount> accounts = new ArrayList<>();

  @Option(
      names = "--api-key",
      paramLabel = "ACCOUNT_SID:KEY_SID:SECRET",
      converter = ApiKeyConverter.class,
      description =
          "An API key (SK...) acting for one of the accounts (repeatable). Default: none.")
  List<EmulatorApiKey> apiKeys = new ArrayList<>();

  @Option(
      names = "--allowed-ip-range",
      paramLabel = "[ACCOUNT_SID:]CIDR",
      converter = AllowedRangeConverter.class,
      description =
          "An IPv4 CIDR block (e.g. 203.0.113.0/24) the Interconnect allows IP records in"
              + " (repeatable); with ACCOUNT_SID: for that account only, else for every account"
              + " without ranges of its own. A create outside is refused (400, code 20001)."
              + " Default: every address.")
  List<AllowedRange> allowedRanges = new ArrayList<>();

  @Option(
      names = "--latency-ms",
      defaultValue = "0",
      paramLabel = "MS",
      converter = NonNegativeLong.class,
      description = "Latency added to every Twilio request. Default: ${DEFAULT-VALUE}.")
  long latencyMs;

  @Option(
      names = "--latency-jitter-ms",
      defaultValue = "0",
      paramLabel = "MS",
      converter = NonNegativeLong.class,
      description = "Extra latency drawn uniformly from 0..MS. Default: ${DEFAULT-VALUE}.")
  long latencyJitterMs;

  @Option(
      names = "--concurrency-limit",
      defaultValue = "0",
      paramLabel = "N",
      converter = NonNegativeInt.class,
      description =
          "In-flight requests allowed per account; more are answered 429 (code 20429)."
              + " 0 = unlimited. Default: ${DEFAULT-VALUE}.")
  int concurrencyLimit;

  @Option(
      names = "--p429",
      defaultValue = "0",
      paramLabel = "P",
      converter = Probability.class,
      description = "Probability (0..1) of answering 429 (code 20429). Default: ${DEFAULT-VALUE}.")
  double p429;

  @Option(
      names = "--p500",
      defaultValue = "0",
      paramLabel = "P",
      converter = Probability.class,
      description = "Probability (0..1) of answering 500 (code 20500). Default: ${DEFAULT-VALUE}.")
  double p500;

  @Option(
      names = "--p503",
      defaultValue = "0",
      paramLabel = "P",
      converter = Probability.class,
      description = "Probability (0..1) of answering 503 (code 20503). Default: ${DEFAULT-VALUE}.")
  double p503;

  @Option(
      names = "--p-reset-before",
      defaultValue = "0",
      paramLabel = "P",
      converter = Probability.class,
      description =
          "Probability (0..1) of dropping the connection without processing the request."
              + " Default: ${DEFAULT-VALUE}.")
  double pResetBefore;

  @Option(
      names = "--p-reset-after",
      defaultValue = "0",
      paramLabel = "P",
      converter = Probability.class,
      description =
          "Probability (0..1) of processing the request, then dropping the connection without"
              + " an answer. Default: ${DEFAULT-VALUE}.")
  double pResetAfter;

  @Option(
      names = "--retry-after-seconds",
      paramLabel = "S",
      converter = NonNegativeInt.class,
      description = "Retry-After header sent with 429 and 503 answers. Default: none (no header).")
  Integer retryAfterSeconds;

  @Option(
      names = "--fault-methods",
      split = ",",
      paramLabel = "METHOD",
      converter = HttpMethodConverter.class,
      description =
          "HTTP methods the probabilistic faults apply to, comma-separated (e.g. POST,DELETE)."
              + " Default: all methods.")
  Set<String> faultMethods = new LinkedHashSet<>();

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Seed of the fault random source, for reproducible runs. Default: unseeded.")
  Long seed;

  @Option(
      names = "--neighbour-slots",
      defaultValue = "0",
      paramLabel = "K",
      converter = NonNegativeInt.class,
      description =
          "Slots of each account's concurrency limit held by the account's other (production)"
              + " traffic, the neighbour; at most --concurrency-limit. Default: ${DEFAULT-VALUE}.")
  int neighbourSlots;

  @Option(
      names = "--neighbour-mode",
      defaultValue = "constant",
      paramLabel = "MODE",
      converter = NeighbourModeConverter.class,
      description =
          "constant (slots held all the time) or bursts (held for --neighbour-burst-ms every"
              + " --neighbour-period-ms). Default: ${DEFAULT-VALUE}.")
  NeighbourSettings.Mode neighbourMode;

  @Option(
      names = "--neighbour-burst-ms",
      defaultValue = "0",
      paramLabel = "MS",
      converter = NonNegativeLong.class,
      description =
          "In bursts mode, how long each burst holds the slots. Default: ${DEFAULT-VALUE}.")
  long neighbourBurstMs;

  @Option(
      names = "--neighbour-period-ms",
      defaultValue = "0",
      paramLabel = "MS",
      converter = NonNegativeLong.class,
      description =
          "In bursts mode, from one burst's start to the next. Default: ${DEFAULT-VALUE}.")
  long neighbourPeriodMs;

  @Option(
      names = "--neighbour-rps",
      defaultValue = "0",
      paramLabel = "RATE",
      converter = NonNegativeDouble.class,
      description =
          "Requests per second the neighbour sends per account, each holding a slot for the"
              + " latency; refused (counted apart) when the account is full."
              + " Default: ${DEFAULT-VALUE}.")
  double neighbourRps;

  /**
   * The neighbour the flags describe.
   *
   * @throws IllegalArgumentException for an inconsistent combination (bursts without a period)
   */
  public NeighbourSettings neighbourSettings() {
    return new NeighbourSettings(
        neighbourSlots, neighbourMode, neighbourBurstMs, neighbourPeriodMs, neighbourRps);
  }

  @Override
  public Integer call() throws InterruptedException {
    TwilioEmulator emulator;
    try {
      TwilioEmulator.Builder builder =
          TwilioEmulator.builder()
              .port(port)
              .bind(bind)
              .publicBaseUrl(publicBaseUrl)
              .faults(
                  new FaultSettings(
                      latencyMs,
                      latencyJitterMs,
                      concurrencyLimit,
                      p429,
                      p500,
                      p503,
                      pResetBefore,
                      pResetAfter,
                      retryAfterSeconds,
                      faultMethods,
                      seed))
              .neighbour(neighbourSettings());
      accounts.forEach(a -> builder.account(a.sid(), a.authToken()));
      apiKeys.forEach(k -> builder.apiKey(k.accountSid(), k.keySid(), k.secret()));
      for (AllowedRange r : allowedRanges) {
        if (r.accountSid() == null) {
          builder.allowedIpRange(r.cidrBlock());
        } else {
          builder.allowedIpRange(r.accountSid(), r.cidrBlock());
        }
      }
      emulator = builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try {
      emulator.start();
      if (seedExamples) {
        dev.byoc.sourceip.sandbox.Seeder.seedExamples(emulator, emulator.accounts().get(0).sid());
      }
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().println("emulator: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "emulator-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.print(banner(emulator, accounts.isEmpty())); // without --account one is generated
    out.flush();
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * The start-up lines: addresses, account SIDs and API key SIDs. The token of an account the
   * emulator generated is printed (nothing else tells it); secrets given with --account or
   * --api-key are never echoed, so that they stay out of logs that keep the emulator's output.
   */
  public static String banner(TwilioEmulator emulator, boolean credentialsGenerated) {
    StringBuilder text = new StringBuilder();
    text.append("Twilio emulator listening on ").append(emulator.listenUrl()).append('\n');
    text.append("TWILIO_BASE_URL=").append(emulator.baseUrl()).append('\n');
    for (EmulatorAccount account : emulator.accounts()) {
      text.append("TWILIO_ACCOUNT_SID=").append(account.sid()).append('\n');
      if (credentialsGenerated) {
        text.append("TWILIO_AUTH_TOKEN=").append(account.authToken()).append('\n');
      }
    }
    for (EmulatorApiKey key : emulator.apiKeys()) {
      text.append("TWILIO_API_KEY=").append(key.keySid()).append('\n');
    }
    text.append("Admin API: ").append(emulator.listenUrl()).append("/_emulator/").append('\n');
    return text.toString();
  }

  static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port = integer(value);
      if (port < 0 || port > 65535) {
        throw new TypeConversionException("'" + value + "' is not a port (0..65535)");
      }
      return port;
    }
  }

  static final class NonNegativeInt implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int number = integer(value);
      if (number < 0) {
        throw new TypeConversionException("'" + value + "' must be >= 0");
      }
      return number;
    }
  }

  static final class NonNegativeLong implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long number;
      try {
        number = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not an integer");
      }
      if (number < 0) {
        throw new TypeConversionException("'" + value + "' must be >= 0");
      }
      return number;
    }
  }

  static final class NonNegativeDouble implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double number;
      try {
        number = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number");
      }
      if (!(number >= 0.0 && Double.isFinite(number))) {
        throw new TypeConversionException("'" + value + "' must be a number >= 0");
      }
      return number;
    }
  }

  static final class NeighbourModeConverter
      implements CommandLine.ITypeConverter<NeighbourSettings.Mode> {
    @Override
    public NeighbourSettings.Mode convert(String value) {
      try {
        return NeighbourSettings.Mode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not constant or bursts");
      }
    }
  }

  static final class Probability implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double p;
      try {
        p = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number");
      }
      if (!(p >= 0.0 && p <= 1.0)) {
        throw new TypeConversionException("'" + value + "' is not a probability (0..1)");
      }
      return p;
    }
  }

  static final class HttpMethodConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!HTTP_METHOD.matcher(value.trim()).matches()) {
        throw new TypeConversionException("'" + value + "' is not an HTTP method");
      }
      return value.trim().toUpperCase(Locale.ROOT);
    }
  }

  static final class AccountConverter implements CommandLine.ITypeConverter<EmulatorAccount> {
    @Override
    public EmulatorAccount convert(String value) {
      int colon = value.indexOf(':');
      if (colon < 0 || colon == value.length() - 1) {
        throw new TypeConversionException("expected SID:TOKEN");
      }
      String sid = value.substring(0, colon);
      if (!ACCOUNT_SID.matcher(sid).matches()) {
        throw new TypeConversionException("account SID must match ^AC[0-9a-fA-F]{32}$");
      }
      return new EmulatorAccount(sid, value.substring(colon + 1));
    }
  }

  static final class ApiKeyConverter implements CommandLine.ITypeConverter<EmulatorApiKey> {
    @Override
    public EmulatorApiKey convert(String value) {
      String[] parts = value.split(":", 3);
      if (parts.length != 3 || parts[2].isEmpty()) {
        throw new TypeConversionException("expected ACCOUNT_SID:KEY_SID:SECRET");
      }
      if (!ACCOUNT_SID.matcher(parts[0]).matches()) {
        throw new TypeConversionException("account SID must match ^AC[0-9a-fA-F]{32}$");
      }
      if (!KEY_SID.matcher(parts[1]).matches()) {
        throw new TypeConversionException("API key SID must match ^SK[0-9a-fA-F]{32}$");
      }
      return new EmulatorApiKey(parts[0], parts[1], parts[2]);
    }
  }

  /** An --allowed-ip-range value: a CIDR block, for one account or (null) for every account. */
  record AllowedRange(String accountSid, String cidrBlock) {}

  static final class AllowedRangeConverter implements CommandLine.ITypeConverter<AllowedRange> {
    @Override
    public AllowedRange convert(String value) {
      int colon = value.indexOf(':');
      String sid = colon < 0 ? null : value.substring(0, colon);
      if (sid != null && !ACCOUNT_SID.matcher(sid).matches()) {
        throw new TypeConversionException("account SID must match ^AC[0-9a-fA-F]{32}$");
      }
      String block = value.substring(colon + 1);
      try {
        return new AllowedRange(sid, Ipv4Block.parse(block).toString());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not an integer");
    }
  }
}
