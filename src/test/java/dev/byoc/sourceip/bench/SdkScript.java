package dev.byoc.sourceip.bench;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.voice.v1.SourceIpMapping;
import dev.byoc.sourceip.emulator.LocalHttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
}
