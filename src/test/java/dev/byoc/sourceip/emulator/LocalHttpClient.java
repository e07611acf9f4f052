package dev.byoc.sourceip.emulator;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * Twilio's helper library, pointed at the emulator: every https://*.twilio.com request goes there.
 */
public final class LocalHttpClient extends NetworkHttpClient {
  private final String base;

  public LocalHttpClient(String base) {
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
