package dev.byoc.sourceip.bench;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.voice.v1.SourceIpMapping;
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

  /** Sends every https://*.twilio.com request to the emulator instead. */
  static final class LocalHttpClient extends NetworkHttpClient {
    private final String base;

    LocalHttpClient(String base) {
      this.base = base;
    }

    @Override
    public Response makeRequest(Request request) {
      String url = request.getUrl().replaceFirst("^https://[A-Za-z0-9.-]+\\.twilio\\.com", base);
      Request local = new Request(request.getMethod(), url);
      request.getQueryParams().forEach((k, vs) -> vs.forEach(v -> local.addQueryParam(k, v)));
      request.getPostParams().forEach((k, vs) -> vs.forEach(v -> local.addPostParam(k, v)));
      request.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> local.addHeaderParam(k, v)));
      if (request.getAuthStrategy() != null) {
        local.setAuth(request.getAuthStrategy());
      } else {
        local.setAuth(request.getUsername(), request.getPassword());
      }
      if (request.getContentType() != null) {
        local.setContentType(request.getContentType());
      }
      return super.makeRequest(local);
    }
  }
}
