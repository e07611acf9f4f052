package dev.byoc.sourceip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwilioEndpointsTest {
  private static final String SID = KnownSecrets.ACCOUNT_SID;

  private static TwilioEndpoints endpoints(
      String baseUrl, String region, String edge, boolean insecure) {
    return TwilioConfig.builder(SID, KnownSecrets.AUTH_TOKEN, null)
        .hosts(baseUrl, region, edge, insecure)
        .build()
        .endpoints();
  }

  @Test
  void anAccountsRegionAndEdgeMoveTwiliosHostsButNotABaseUrl() {
    TwilioEndpoints twilio = TwilioEndpoints.of(null, null, null, false);
    TwilioEndpoints emulator = TwilioEndpoints.of("http://127.0.0.1:8080", null, null, false);

    TwilioEndpoints dublin = twilio.forAccount("ie1", "dublin");

    assertThat(dublin.voice().host()).isEqualTo("voice.dublin.ie1.twilio.com");
    assertThat(dublin.api().host()).isEqualTo("api.dublin.ie1.twilio.com");
    assertThat(twilio.forAccount(null, null)).isSameAs(twilio);
    assertThat(emulator.forAccount("ie1", "dublin")).isSameAs(emulator);
  }

  @Test
  void defaultsToTwiliosPublicHosts() {
    TwilioEndpoints e = endpoints(null, null, null, false);

    assertThat(e.voicePath("v1", "SourceIpMappings").toString())
        .isEqualTo("https://voice.twilio.com/v1/SourceIpMappings");
    assertThat(e.apiPath("2010-04-01", "Accounts", SID, "SIP", "Domains.json").toString())
        .isEqualTo("https://api.twilio.com/2010-04-01/Accounts/" + SID + "/SIP/Domains.json");
  }

  @Test
  void regionAndEdgeMoveTheHostsLikeTheOfficialLibraries() {
    assertThat(endpoints(null, "au1", "sydney", false).voice().host())
        .isEqualTo("voice.sydney.au1.twilio.com");
    assertThat(endpoints(null, "ie1", null, false).api().host()).isEqualTo("api.ie1.twilio.com");
    assertThat(endpoints(null, null, "dublin", false).voice().host())
        .isEqualTo("voice.dublin.us1.twilio.com");
    assertThatThrownBy(() -> endpoints(null, "au1/../x", null, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWILIO_REGION");
  }

  @Test
  void baseUrlSendsBothApisToOneServer() {
    TwilioEndpoints e = endpoints("http://127.0.0.1:8080/", "au1", "sydney", false);

    assertThat(e.voicePath("v1", "IpRecords").toString())
        .isEqualTo("http://127.0.0.1:8080/v1/IpRecords");
    assertThat(e.apiPath("2010-04-01").toString()).isEqualTo("http://127.0.0.1:8080/2010-04-01");
    assertThat(endpoints("http://localhost:1", null, null, false).voice().host())
        .isEqualTo("localhost");
    assertThat(endpoints("http://[::1]:1", null, null, false).voice().host()).isEqualTo("::1");
    assertThat(endpoints("https://twilio.example.com", null, null, false).voice().scheme())
        .isEqualTo("https");
  }

  @Test
  void plainHttpIsRefusedOffLoopbackUnlessAllowed() {
    assertThatThrownBy(() -> endpoints("http://10.0.0.5:8080", null, null, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("plain http on non-loopback host 10.0.0.5");
    assertThatThrownBy(() -> endpoints("http://emulator.internal:8080", null, null, false))
        .isInstanceOf(ConfigException.class);
    assertThat(endpoints("http://10.0.0.5:8080", null, null, true).voice().host())
        .isEqualTo("10.0.0.5");
  }

  @Test
  void loopbackIsTheWholeLoopbackRangeAndNothingThatOnlyLooksLikeIt() {
    for (String loopback :
        List.of(
            "http://127.0.0.1:1", "http://127.8.9.10:1", "http://[::1]:1", "http://LOCALHOST")) {
      assertThat(endpoints(loopback, null, null, false).voice().scheme())
          .as(loopback)
          .isEqualTo("http");
    }
    for (String remote :
        List.of(
            "http://192.0.2.10",
            "http://[2001:db8::1]:8080",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
            "http://twilio.example.com")) {
      assertThatThrownBy(() -> endpoints(remote, null, null, false))
          .as(remote)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("TWILIO_ALLOW_INSECURE_HTTP=true");
      assertThat(endpoints(remote, null, null, true).voice().scheme()).isEqualTo("http");
    }
  }

  @Test
  void malformedBaseUrlIsAClearError() {
    assertThatThrownBy(() -> endpoints("127.0.0.1:8080", null, null, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected an http(s) URL");
    assertThatThrownBy(() -> endpoints("http://127.0.0.1:8080/?x=1", null, null, false))
        .hasMessageContaining("query");
  }
}
