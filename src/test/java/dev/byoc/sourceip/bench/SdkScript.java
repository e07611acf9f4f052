package dev.byoc.sourceip.bench;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.voice.v1.SourceIpMapping;
import dev.byoc.sourceip.emulator.LocalHttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alternative to the operator: a script on Twilio's official Java helper library (11.0.0) that
 * creates the mappings one after another, and its idempotent re-run (list, then create what is
 * missing), as one would write it in a deploy pipeline.
 */
final class SdkScript {
  private final TwilioRestClient client;

  SdkScript(String baseUrl, String accountSid, String authToken) {
    this.client =
        new TwilioRestClient.Builder(accountSid, authToken)
            .accountSid(accountSid)
            .httpClient(new LocalHttpClient(baseUrl))
            .build();
  }

  /** Creates a mapping for every IP record, one after another. */
  int createAll(List<String> ipRecordSids, String sipDomainSid) {
    for (String ip : ipRecordSids) {
      SourceIpMapping.creator(ip, sipDomainSid).create(client);
    }
    return ipRecordSids.size();
  }

  /** Lists the account (pages of 1000), then creates the mappings that are missing; how many. */
  int createMissing(List<String> ipRecordSids, String sipDomainSid) {
    Set<String> mapped = new HashSet<>();
    SourceIpMapping.reader()
        .setPageSize(1000L)
        .read(client)
        .forEach(m -> mapped.add(m.getIpRecordSid()));
    int created = 0;
    for (String ip : ipRecordSids) {
      if (!mapped.contains(ip)) {
        SourceIpMapping.creator(ip, sipDomainSid).create(client);
        created++;
      }
    }
    return created;
  }

  /** What the threaded script did: mappings created, 429s retried, creates given up. */
  record Threaded(int created, long retried429, int failed) {}

  /**
   * Creates a mapping for every IP record on {@code threads} threads, each with its own client (so
   * that no connection pool caps them), retrying a 429 after 100 ms, at most 100 times a mapping,
   * as a careful script would.
   */
  static Threaded createAllThreaded(
      String baseUrl,
      String accountSid,
      String authToken,
      List<String> ipRecordSids,
      String sipDomainSid,
      int threads)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger created = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong retried = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  SdkScript sdk = new SdkScript(baseUrl, accountSid, authToken);
                  for (int i = next.getAndIncrement();
                      i < ipRecordSids.size();
                      i = next.getAndIncrement()) {
                    if (sdk.createRetrying(ipRecordSids.get(i), sipDomainSid, retried)) {
                      created.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return new Threaded(created.get(), retried.get(), failed.get());
  }

  private boolean createRetrying(String ip, String sipDomainSid, AtomicLong retried)
      throws InterruptedException {
    for (int attempt = 0; attempt <= 100; attempt++) {
      try {
        SourceIpMapping.creator(ip, sipDomainSid).create(client);
        return true;
      } catch (ApiException e) {
        if (e.getStatusCode() != 429) {
          return false;
        }
        retried.incrementAndGet();
        Thread.sleep(100);
      }
    }
    return false;
  }
}
