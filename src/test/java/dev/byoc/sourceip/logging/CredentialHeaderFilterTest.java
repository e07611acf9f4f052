package dev.byoc.sourceip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

/** The Kubernetes client's credential header lines are dropped at any level; nothing else is. */
class CredentialHeaderFilterTest {

  @Test
  void dropsOnlyTheCredentialHeadersOfTheKubernetesWireLog() {
    LoggerContext context = new LoggerContext();
    CredentialHeaderFilter filter = new CredentialHeaderFilter();
    filter.start();
    context.addTurboFilter(filter);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(context);
    seen.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(seen);
    root.setLevel(Level.TRACE);
    Logger wire = context.getLogger(CredentialHeaderFilter.WIRE_LOGGER);
    Logger other = context.getLogger("dev.byoc.sourceip.Anything");

    wire.trace("> {}: {}", "Authorization", "Bearer the-token");
    wire.trace("> {}: {}", "authorization", "Bearer the-token");
    wire.trace("> {}: {}", "Proxy-Authorization", "Basic dXNlcjpwYXNz");
    wire.trace("> Authorization: Bearer the-token");
    wire.trace("> {}: {}", "Accept", "application/json");
    wire.trace("> {} {}", "GET", "https://10.0.0.1/api");
    other.info("> {}: {}", "Authorization", "not the wire log");
    context.stop();

    assertThat(seen.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "> Accept: application/json",
            "> GET https://10.0.0.1/api",
            "> Authorization: not the wire log");
  }

  @Test
  void installsOnceIntoLogback() {
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();

    CredentialHeaderFilter.install();
    CredentialHeaderFilter.install();

    assertThat(context.getTurboFilterList())
        .filteredOn(CredentialHeaderFilter.class::isInstance)
        .hasSize(1);
  }
}
