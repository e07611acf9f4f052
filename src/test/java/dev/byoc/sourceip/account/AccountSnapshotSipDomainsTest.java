package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.SipDomain;
import dev.byoc.sourceip.twilio.TwilioApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AccountSnapshotSipDomainsTest {
  final FakeTwilioClient twilio = new FakeTwilioClient();
  final AccountSnapshot snapshot = new AccountSnapshot(twilio, Clock.systemUTC());

  @Test
  void listsSipDomainsOnlyOnceAsked() {
    SipDomain d = twilio.sipDomains.put("acme.sip.twilio.com");
    snapshot.ensureLoaded();
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(twilio.sipDomains.lists.get()).isZero();

    assertThat(snapshot.sipDomainBySid(d.sid())).contains(d);
    assertThat(snapshot.sipDomainByName("acme.sip.twilio.com")).contains(d);

    assertThat(twilio.sipDomains.lists.get()).isEqualTo(1);
    assertThat(twilio.ipRecords.lists.get()).isZero();
    assertThat(twilio.lists.get()).isEqualTo(2);
  }

  @Test
  void domainNamesMatchCaseInsensitively() {
    SipDomain d = twilio.sipDomains.put("Acme.SIP.twilio.com");

    assertThat(snapshot.sipDomainByName("acme.sip.twilio.com")).contains(d);
    assertThat(snapshot.sipDomainByName("ACME.SIP.TWILIO.COM")).contains(d);
    assertThat(snapshot.sipDomainByName("other.sip.twilio.com")).isEmpty();
  }

  @Test
  void refreshesSipDomainsWithTheMappingsOnceAsked() {
    snapshot.ensureSipDomainsLoaded();
    SipDomain added = twilio.sipDomains.put("late.sip.twilio.com");

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));

    assertThat(twilio.sipDomains.lists.get()).isEqualTo(2);
    assertThat(twilio.lists.get()).isEqualTo(1);
    assertThat(twilio.ipRecords.lists.get()).isZero();
    assertThat(snapshot.sipDomainByName("late.sip.twilio.com")).contains(added);
  }

  @Test
  void wakesListenersWhenADomainAppears() {
    snapshot.ensureSipDomainsLoaded();
    assertThat(snapshot.sipDomainByName("acme.sip.twilio.com")).isEmpty(); // a resource waits
    List<Set<String>> reports = new CopyOnWriteArrayList<>();
    snapshot.addSipDomainListener(reports::add);

    SipDomain d = twilio.sipDomains.put("Acme.sip.twilio.com");
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(reports).containsExactly(Set.of("acme.sip.twilio.com"));
    assertThat(snapshot.sipDomainByName("acme.sip.twilio.com")).contains(d);

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(reports).hasSize(1); // nothing changed: nobody is woken

    twilio.sipDomains.domains.remove(d.sid()); // and when it disappears
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(reports)
        .containsExactly(Set.of("acme.sip.twilio.com"), Set.of("acme.sip.twilio.com"));
    assertThat(snapshot.sipDomainByName("acme.sip.twilio.com")).isEmpty();
  }

  @Test
  void aRenamedDomainReportsBothNames() {
    SipDomain d = twilio.sipDomains.put("old.sip.twilio.com");
    snapshot.ensureSipDomainsLoaded();
    List<Set<String>> reports = new CopyOnWriteArrayList<>();
    snapshot.addSipDomainListener(reports::add);

    twilio.sipDomains.domains.put(
        d.sid(),
        new SipDomain(
            d.accountSid(), d.sid(), "New.sip.twilio.com", null, d.dateCreated(), null, null));
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));

    assertThat(reports).containsExactly(Set.of("old.sip.twilio.com", "new.sip.twilio.com"));
    assertThat(snapshot.sipDomainByName("old.sip.twilio.com")).isEmpty();
    assertThat(snapshot.sipDomainByName("new.sip.twilio.com").orElseThrow().sid())
        .isEqualTo(d.sid());
  }

  @Test
  void aFailedDomainListIsReportedToTheCallerAndRemembered() {
    twilio.sipDomains.faults.fail(
        "list",
        new TwilioApiException(
            401, 20003, "Authenticate", null, "GET", "/2010-04-01/SIP/Domains", null));

    for (int i = 0; i < 5; i++) {
      assertThat(catchThrowable(() -> snapshot.sipDomainByName("acme.sip.twilio.com")))
          .isInstanceOf(TwilioApiException.class);
    }

    assertThat(twilio.sipDomains.lists.get()).isEqualTo(1);
  }
}
