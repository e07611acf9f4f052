package dev.byoc.sourceip;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Every logger of this JVM at TRACE (java.util.logging's at ALL, through jul-to-slf4j) and every
 * log event kept in memory until closed, when the levels and the console are put back: for tests
 * that look at all the operator could log. The lines go to the test log file, not the console.
 */
public final class LogCapture implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
  private final Map<Logger, Level> logbackLevels = new HashMap<>();
  private final Map<java.util.logging.Logger, java.util.logging.Level> julLevels = new HashMap<>();
  // java.util.logging keeps loggers only weakly: hold the ones changed here until they are reset
  private final List<java.util.logging.Logger> julLoggers = new ArrayList<>();

  private LogCapture() {
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    // the console would drown in TRACE; the file appender keeps every line for the secret scan
    root.iteratorForAppenders()
        .forEachRemaining(
            a -> {
              if (a instanceof ConsoleAppender<ILoggingEvent>) {
                consoles.add(a);
              }
            });
    consoles.forEach(root::detachAppender);
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        logbackLevels.put(logger, logger.getLevel());
        logger.setLevel(Level.TRACE);
      }
    }
    java.util.logging.LogManager jul = java.util.logging.LogManager.getLogManager();
    for (String name : Collections.list(jul.getLoggerNames())) {
      java.util.logging.Logger logger = jul.getLogger(name);
      if (logger != null && (logger.getLevel() != null || name.isEmpty())) {
        julLoggers.add(logger);
        julLevels.put(logger, logger.getLevel());
        logger.setLevel(java.util.logging.Level.ALL);
      }
    }
  }

  /** Starts capturing, with every logger at its most verbose. */
  public static LogCapture everythingAtTrace() {
    return new LogCapture();
  }

  /** The events so far. */
  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /**
   * Everything an event carries as text: logger, thread, message, its arguments, key-value pairs,
   * MDC and the stack trace with every cause.
   */
  public static String text(ILoggingEvent e) {
    StringBuilder text = new StringBuilder();
    text.append(e.getLoggerName()).append(' ').append(e.getThreadName()).append(' ');
    text.append(e.getFormattedMessage());
    if (e.getArgumentArray() != null) {
      Arrays.stream(e.getArgumentArray()).forEach(a -> text.append(' ').append(a));
    }
    if (e.getKeyValuePairs() != null) {
      e.getKeyValuePairs()
          .forEach(kv -> text.append(' ').append(kv.key).append('=').append(kv.value));
    }
    e.getMDCPropertyMap().forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
    if (e.getThrowableProxy() != null) {
      text.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    return text.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    logbackLevels.forEach(Logger::setLevel);
    julLevels.forEach(java.util.logging.Logger::setLevel);
    consoles.forEach(root::addAppender);
    julLoggers.clear();
  }
}
