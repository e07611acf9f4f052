package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.health.Check;
import dev.byoc.sourceip.health.ManagementServer;

/**
 * The probes' answers from before the operator has started (alive, not ready) until it has, then
 * the operator's own: the endpoint is up first, so a startup probe sees a slow start as a start.
 */
final class StartingProbes implements ManagementServer.Probes {
  private volatile SourceIpOperator operator;

  void started(SourceIpOperator started) {
    this.operator = started;
  }

  @Override
  public Check live() {
    SourceIpOperator current = operator;
    return current == null ? Check.ok("starting") : current.live();
  }

  @Override
  public Check ready() {
    SourceIpOperator current = operator;
    return current == null ? Check.failing("starting") : current.ready();
  }
}
