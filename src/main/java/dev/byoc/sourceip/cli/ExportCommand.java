package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.config.ConfigException;
import dev.byoc.sourceip.config.Setting;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.export.ExportKind;
import dev.byoc.sourceip.export.ExportOptions;
import dev.byoc.sourceip.export.ExportResult;
import dev.byoc.sourceip.export.ResourceNames;
import dev.byoc.sourceip.export.YamlStream;
import dev.byoc.sourceip.twilio.HttpTwilioClient;
import dev.byoc.sourceip.twilio.TwilioApiException;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Prints what a Twilio account already holds as SourceIpMapping and IpRecord YAML that adopts it:
 * {@code terraform import} without a state file.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    abbreviateSynopsis = true,
    sortOptions = false,
    description = {
      "Prints the account's existing Twilio resources as ready-to-commit YAML that adopts them.",
      "Applying it creates nothing at Twilio: each resource names the Twilio resource it takes"
          + " over in its voice.byoc.dev/external-sid annotation.",
      "Names come from the IP record's friendly name, else its address (ip-203-0-113-10); they"
          + " are valid Kubernetes names, unique, and the same on every run.",
      "Twilio credentials come from the environment only: TWILIO_ACCOUNT_SID with"
          + " TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET. The other Twilio"
          + " settings are flags or environment variables; the export options are flags only.",
      "Exit codes: 0 written; 1 Twilio refused the credentials or could not be reached;"
          + " 2 bad flag or configuration."
    })
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Where Twilio settings come from besides flags; tests replace it. */
  Map<String, String> environment = System.getenv();

  @Option(
      names = "--kind",
      defaultValue = "SourceIpMapping",
      paramLabel = "KIND",
      description =
          "What to export: ${COMPLETION-CANDIDATES}. SourceIpMapping: the mappings, naming IP"
              + " records and SIP domains by SID. IpRecord: the IP records. all: the IP records,"
              + " then the mappings naming them by ipRecordRef and their SIP domains by"
              + " sipDomainName. Default: ${DEFAULT-VALUE}.")
  ExportKind kind;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      paramLabel = "NAMESPACE",
      converter = NamespaceConverter.class,
      description = "Namespace written into every resource. Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(
      names = "--name-prefix",
      defaultValue = "",
      paramLabel = "PREFIX",
      converter = PrefixConverter.class,
      description =
          "Put before every generated name, e.g. twilio- (lower-case letters, digits and '-', at"
              + " most "
              + ResourceNames.MAX_PREFIX_LENGTH
              + " characters). Default: none.")
  String namePrefix;

  @Option(
      names = "--deletion-policy",
      paramLabel = "POLICY",
      description =
          "Write spec.deletionPolicy into every resource: ${COMPLETION-CANDIDATES}. Orphan makes"
              + " a first adoption safe: deleting a resource then never deletes at Twilio."
              + " Default: not written (the resource's default, Delete, applies).")
  DeletionPolicy deletionPolicy;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the YAML to FILE instead of stdout ('-' is stdout). Default: stdout.")
  String output;

  /** Adds a flag for every Twilio setting that has one; secrets have none. */
  static void addSettingOptions(CommandSpec spec) {
    SettingOptions.addTo(
        spec,
        Arrays.stream(Setting.values())
            .filter(s -> s.envName().startsWith("TWILIO_"))
            .toArray(Setting[]::new));
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    TwilioConfig config;
    TwilioClient twilio;
    try {
      config = TwilioConfig.from(SettingOptions.read(spec, environment)).requireCredentials();
      twilio = new HttpTwilioClient(config);
    } catch (ConfigException e) {
      return fail(ExitCodes.USAGE, e.getMessage());
    }

    ExportResult result;
    try {
      result =
          kind.exporter().export(twilio, new ExportOptions(namespace, namePrefix, deletionPolicy));
    } catch (TwilioApiException e) {
      if (e.isUnauthorized()) {
        return fail(ExitCodes.FAILURE, refusedCredentials(config, e));
      }
      return fail(ExitCodes.FAILURE, e.getMessage());
    } catch (TwilioException e) {
      return fail(ExitCodes.FAILURE, e.getMessage());
    }

    String yaml =
        YamlStream.render(
            header(config.accountSid(), result), result.resources(), result::commentsOn);
    for (String warning : result.warnings()) {
      err.println("warning: " + oneLine(warning));
    }
    if (output == null || output.equals("-")) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(yaml);
      out.flush();
    } else {
      try {
        Files.writeString(Path.of(output), yaml, StandardCharsets.UTF_8);
      } catch (IOException | InvalidPathException e) {
        return fail(ExitCodes.FAILURE, "could not write " + output + ": " + describe(e));
      }
      err.println("Wrote " + resources(result) + " to " + output + ".");
    }
    err.flush();
    return ExitCodes.OK;
  }

  private List<String> header(String accountSid, ExportResult result) {
    return List.of(
        "sourceip-operator export: " + resources(result) + " of Twilio account",
        accountSid + ". Each adopts the existing Twilio resource",
        "named in its voice.byoc.dev/external-sid annotation: applying this file",
        "creates nothing at Twilio.");
  }

  /** "3 SourceIpMapping resources", "2 IpRecord and 1 SourceIpMapping resources". */
  private String resources(ExportResult result) {
    List<String> counts = new ArrayList<>();
    for (String k : kind.kinds()) {
      counts.add(result.resources().stream().filter(r -> k.equals(r.getKind())).count() + " " + k);
    }
    int total = result.resources().size();
    return String.join(" and ", counts) + " resource" + (total == 1 ? "" : "s");
  }

  /** Names the credentials in use, never their secret part. */
  private static String refusedCredentials(TwilioConfig config, TwilioApiException e) {
    String which =
        config.credentials().apiKey() != null
            ? "TWILIO_API_KEY (" + config.credentials().apiKey() + ") and TWILIO_API_SECRET"
            : "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN";
    return "Twilio refused the credentials for account "
        + config.accountSid()
        + " ("
        + e.getMessage()
        + "); check "
        + which
        + ".";
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private int fail(int exitCode, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + oneLine(message));
    err.flush();
    return exitCode;
  }

  private static String oneLine(String text) {
    return String.valueOf(text).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** A namespace name: a DNS-1123 label. */
  static final class NamespaceConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!ResourceNames.isValid(value)) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a namespace name (lower-case letters, digits and '-', starting and"
                + " ending with a letter or digit, at most 63 characters)");
      }
      return value;
    }
  }

  static final class PrefixConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!ResourceNames.isValidPrefix(value)) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a name prefix (lower-case letters, digits and '-', starting with a"
                + " letter or digit, at most "
                + ResourceNames.MAX_PREFIX_LENGTH
                + " characters)");
      }
      return value;
    }
  }
}
