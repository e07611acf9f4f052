package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Scans everything the client logs, throws and prints for the token, the secret and their Basic
 * form.
 */
class SecretsNeverLeakIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String KEY = KnownSecrets.API_KEY_SID;
  static final String SECRET = KnownSecrets.API_SECRET;

  @Test
  void noSecretAppearsInLogsExceptionsOrToString() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level previous = root.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
    List<Logger> quieted =
        context.getLoggerList().stream().filter(l -> l.getLevel() != null && l != root).toList();
    java.util.Map<Logger, Level> levels = new java.util.HashMap<>();
    quieted.forEach(
        l -> {
          levels.put(l, l.getLevel());
          l.setLevel(Level.TRACE);
        });
    List<String> seen = new ArrayList<>();
    try (TwilioEmulator emulator =
        EmulatorExtension.withKnownAccount().apiKey(ACCOUNT, KEY, SECRET).start()) {
      String ip = emulator.createIpRecord(ACCOUNT, "203.0.113.30", 32, null);
      String domain = emulator.createSipDomain(ACCOUNT, "leak-check.sip.twilio.com");
      TwilioConfig byToken =
          TwilioConfig.builder(ACCOUNT, TOKEN, emulator.baseUrl())
              .retries(1, Duration.ofMillis(1), Duration.ofMillis(5))
              .build();
      TwilioConfig byKey = byToken.toBuilder().apiKey(KEY, SECRET).build();
      TwilioConfig wrong =
          TwilioConfig.builder(ACCOUNT, KnownSecrets.WRONG_AUTH_TOKEN, emulator.baseUrl()).build();
      for (TwilioConfig config : List.of(byToken, byKey, wrong)) {
        seen.add(config.toString());
        HttpTwilioClient client = new HttpTwilioClient(config);
        seen.add(client.toString());
        seen.add(describe(catchThrowable(() -> client.createSourceIpMapping(ip, domain))));
        seen.add(describe(catchThrowable(client::listSourceIpMappings)));
        emulator.faults().script(ScriptedFault.of("reset-after").forMethod("POST"));
        seen.add(describe(catchThrowable(() -> client.createIpRecord("198.51.100.1", null, null))));
        emulator.faults().script(ScriptedFault.of("500"));
        seen.add(describe(catchThrowable(() -> client.fetchSipDomain(domain))));
      }
      seen.add(
          describe(
              catchThrowable(
                  () ->
                      new HttpTwilioClient(
                          TwilioConfig.builder(ACCOUNT, TOKEN, "http://10.1.2.3").build()))));
    } finally {
      root.detachAppender(appender);
      root.setLevel(previous);
      levels.forEach(Logger::setLevel);
    }
    for (ILoggingEvent e : appender.list) {
      seen.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        seen.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }

    assertThat(appender.list).as("the client logged its requests at debug").isNotEmpty();
    String everything = String.join("\n", seen);
    for (String secret :
        List.of(
            TOKEN,
            SECRET,
            KnownSecrets.WRONG_AUTH_TOKEN,
            basic(ACCOUNT, TOKEN),
            basic(KEY, SECRET),
            basic(ACCOUNT, KnownSecrets.WRONG_AUTH_TOKEN),
            "SENTINEL")) {
      assertThat(everything).doesNotContain(secret);
    }
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return t + "\n" + out;
  }
}
