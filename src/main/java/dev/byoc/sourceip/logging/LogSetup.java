package dev.byoc.sourceip.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.byoc.sourceip.config.LogFormat;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Applies the operator's log level and format to the console appenders logback.xml configures: text
 * for people, or one JSON object per line (logback's own JsonEncoder) for a log pipeline. Both
 * carry the resource JOSDK puts in the MDC during a reconcile.
 */
public final class LogSetup {
  /** The text layout: a reconcile's lines end with {@code [namespace/name]}. */
  public static final String TEXT_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg"
          + "%replace( [%X{resource.namespace}/%X{resource.name}]){' \\[/\\]', ''}%n";

  private LogSetup() {}

  /** Sets the root level and the console appenders' encoder; a no-op without logback. */
  public static void apply(String level, LogFormat format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level));
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(appenders::add);
    for (Appender<ILoggingEvent> appender : appenders) {
      if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
        Encoder<ILoggingEvent> encoder = encoder(context, format);
        console.stop();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
    if (format == LogFormat.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMessage(false); // the pattern with {} ...
      json.setWithArguments(false); // ... and its arguments: the formatted message says it all
      json.setWithFormattedMessage(true);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }
}
