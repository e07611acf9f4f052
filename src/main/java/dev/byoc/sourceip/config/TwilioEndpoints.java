package dev.byoc.sourceip.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Where the two Twilio APIs live: {@code https://voice.twilio.com} and {@code
 * https://api.twilio.com}, moved by region and edge as the official libraries do, or both sent to
 * one base URL (an emulator). Built and checked once, when the settings are read, so that a bad
 * host setting is refused at start.
 */
public record TwilioEndpoints(HttpUrl voice, HttpUrl api) {

  /**
   * Both APIs at {@code baseUrl} when it is set (region and edge are then ignored), else at
   * Twilio's hosts for the region and edge (both may be null).
   *
   * @throws ConfigException naming the setting that makes no usable host
   */
  public static TwilioEndpoints of(
      String baseUrl, String region, String edge, boolean allowInsecureHttp) {
    if (baseUrl != null) {
      HttpUrl base = parseBaseUrl(baseUrl, allowInsecureHttp);
      return new TwilioEndpoints(base, base);
    }
    return new TwilioEndpoints(host("voice", region, edge), host("api", region, edge));
  }

  /**
   * These endpoints moved to an account's own region and edge: Twilio's hosts for them, unless
   * these endpoints are a base URL (an emulator), which stays; unchanged when both are null.
   */
  public TwilioEndpoints forAccount(String region, String edge) {
    if ((region == null && edge == null) || !voice.host().endsWith(".twilio.com")) {
      return this;
    }
    return new TwilioEndpoints(host("voice", region, edge), host("api", region, edge));
  }

  /**
   * From the TWILIO_BASE_URL, TWILIO_REGION, TWILIO_EDGE and TWILIO_ALLOW_INSECURE_HTTP settings.
   */
  static TwilioEndpoints from(Settings s) {
    return of(
        s.string(Setting.TWILIO_BASE_URL),
        s.string(Setting.TWILIO_REGION),
        s.string(Setting.TWILIO_EDGE),
        s.bool(Setting.TWILIO_ALLOW_INSECURE_HTTP));
  }

  /**
   * {@code product[.edge][.region].twilio.com}; an edge without a region takes {@code us1}, as the
   * official helper libraries do.
   */
  static HttpUrl host(String product, String region, String edge) {
    String effectiveRegion = region == null && edge != null ? "us1" : region;
    StringBuilder host = new StringBuilder(product);
    if (edge != null) {
      host.append('.').append(checkLabel("TWILIO_EDGE", edge));
    }
    if (effectiveRegion != null) {
      host.append('.').append(checkLabel("TWILIO_REGION", effectiveRegion));
    }
    host.append(".twilio.com");
    return new HttpUrl.Builder().scheme("https").host(host.toString()).build();
  }

  private static String checkLabel(String setting, String value) {
    if (!value.matches("[a-z0-9-]{1,63}")) {
      throw new ConfigException(
          setting + " is '" + value + "'; expected a lowercase host label such as us1 or sydney.");
    }
    return value;
  }

  static HttpUrl parseBaseUrl(String baseUrl, boolean allowInsecureHttp) {
    HttpUrl url = HttpUrl.parse(baseUrl);
    if (url == null) {
      throw new ConfigException(
          "TWILIO_BASE_URL is '"
              + baseUrl
              + "'; expected an http(s) URL such as http://127.0.0.1:8080.");
    }
    if (url.query() != null || url.fragment() != null) {
      throw new ConfigException("TWILIO_BASE_URL must not carry a query or fragment.");
    }
    if (url.scheme().equals("http") && !allowInsecureHttp && !isLoopback(url.host())) {
      throw new ConfigException(
          "TWILIO_BASE_URL uses plain http on non-loopback host "
              + url.host()
              + "; credentials would cross the network in clear text. Use https, or set"
              + " TWILIO_ALLOW_INSECURE_HTTP=true for a test network.");
    }
    return url;
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    boolean literal = h.matches("[0-9.]+") || h.contains(":");
    if (!literal) {
      return false; // never resolve names here: a DNS answer must not decide about clear text
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The one server both APIs go to ({@code TWILIO_BASE_URL}, e.g. an emulator), or null when they
   * go to Twilio's own hosts.
   */
  public HttpUrl baseUrl() {
    return voice.equals(api) ? voice : null;
  }

  /** The URL of a path under the Voice v1 API, e.g. {@code v1/SourceIpMappings}. */
  public HttpUrl voicePath(String... segments) {
    return under(voice, segments);
  }

  /** The URL of a path under the 2010 API, e.g. {@code 2010-04-01/Accounts/AC.../SIP/...}. */
  public HttpUrl apiPath(String... segments) {
    return under(api, segments);
  }

  private static HttpUrl under(HttpUrl base, String... segments) {
    HttpUrl.Builder b = base.newBuilder();
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return b.build();
  }
}
