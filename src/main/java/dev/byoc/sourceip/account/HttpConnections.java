package dev.byoc.sourceip.account;

import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.config.TwilioCredentials;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.twilio.AccountLimiter;
import dev.byoc.sourceip.twilio.HttpTwilioClient;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * Connects account objects over HTTP: the operator's Twilio settings (timeouts, retries, paging,
 * base URL) with the account's credentials, hosts and limits; one limiter and snapshot each, and
 * its gauges labelled by its Account SID.
 */
public final class HttpConnections implements Connection.Factory {
  private final TwilioConfig base;
  private final OkHttpClient http;
  private final OperatorMetrics metrics;
  private final Clock clock;

  public HttpConnections(
      TwilioConfig base, OkHttpClient http, OperatorMetrics metrics, Clock clock) {
    this.base = base;
    this.http = http;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Connection connect(AccountSettings settings) {
    TwilioConfig.Limits limits = base.limits();
    TwilioConfig config =
        base.toBuilder()
            .credentials(settings.credentials())
            .endpoints(base.endpoints().forAccount(settings.region(), settings.edge()))
            .limits(
                settings.maxConcurrentRequests() == null
                    ? limits.concurrentRequests()
                    : settings.maxConcurrentRequests(),
                settings.requestsPerSecond() == null
                    ? limits.requestsPerSecond()
                    : settings.requestsPerSecond())
            .build();
    AccountLimiter limiter = new AccountLimiter(config.limits());
    HttpTwilioClient client =
        new HttpTwilioClient(config, http, limiter, metrics.twilioListener(settings.accountSid()));
    Account account =
        new Account(
            settings.accountSid(),
            client,
            new AccountSnapshot(client, clock),
            ReconcileGate.of(limiter));
    metrics.watchAccount(account, limiter);
    return new Connection() {
      @Override
      public Account account() {
        return account;
      }

      @Override
      public void useCredentials(TwilioCredentials credentials) {
        client.useCredentials(credentials);
      }

      @Override
      public void close() {
        metrics.forgetAccount(account);
      }
    };
  }
}
