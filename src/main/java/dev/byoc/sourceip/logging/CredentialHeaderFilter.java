package dev.byoc.sourceip.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the Kubernetes credentials out of the log: at TRACE the Kubernetes client (fabric8) logs
 * every request header, the service account's bearer token included. This drops those header lines
 * and nothing else, whatever the levels, so TRACE stays usable for debugging. The operator installs
 * it when it starts ({@link #install}).
 */
public final class CredentialHeaderFilter extends TurboFilter {
  static final String WIRE_LOGGER = "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor";
  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "proxy-authorization");

  /** Adds the filter to logback, once; nothing happens when logback is not the SLF4J backend. */
  public static synchronized void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream()
            .noneMatch(CredentialHeaderFilter.class::isInstance)) {
      CredentialHeaderFilter filter = new CredentialHeaderFilter();
      filter.setContext(context);
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (logger == null || !WIRE_LOGGER.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    // fabric8 logs a header as trace("> {}: {}", name, value)
    if (params != null
        && params.length > 0
        && params[0] != null
        && CREDENTIAL_HEADERS.contains(params[0].toString().toLowerCase(Locale.ROOT))) {
      return FilterReply.DENY;
    }
    // the same line already formatted, should a later version log it so
    if (format != null) {
      String text = format.toLowerCase(Locale.ROOT);
      for (String header : CREDENTIAL_HEADERS) {
        if (text.contains(header + ":")) {
          return FilterReply.DENY;
        }
      }
    }
    return FilterReply.NEUTRAL;
  }
}
