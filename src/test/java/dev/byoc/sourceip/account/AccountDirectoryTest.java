package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.api.v1alpha1.AccountKind;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccountSpec;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.config.TwilioCredentials;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a resource's account is resolved, and what connecting, rotating and disconnecting do. */
class AccountDirectoryTest {
  static final String SID_A = "AC" + "a".repeat(32);
  static final String SID_B = "AC" + "b".repeat(32);

  final Map<AccountKey, TwilioAccountSpec> objects = new HashMap<>();
  final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
  final List<AccountSettings> made = new ArrayList<>();
  final List<TwilioCredentials> rotatedTo = new ArrayList<>();
  final List<String> closed = new ArrayList<>();
  final Account environment = account("AC" + "e".repeat(32));
  final List<Set<String>> changes = new ArrayList<>();

  final AccountDirectory directory =
      new AccountDirectory(
          new AccountObjects() {
            @Override
            public Optional<TwilioAccountSpec> spec(AccountKey key) {
              return Optional.ofNullable(objects.get(key));
            }

            @Override
            public Map<String, String> namespaceLabels(String name) {
              return namespaceLabels.getOrDefault(name, Map.of());
            }
          },
          this::connection,
          new SingleAccount(environment));

  {
    directory.addChangeListener(changes::add);
  }

  static Account account(String sid) {
    FakeTwilioClient client = new FakeTwilioClient();
    return new Account(sid, client, new AccountSnapshot(client, Clock.systemUTC()));
  }

  Connection connection(AccountSettings settings) {
    made.add(settings);
    Account account = account(settings.accountSid());
    return new Connection() {
      @Override
      public Account account() {
        return account;
      }

      @Override
      public void useCredentials(TwilioCredentials credentials) {
        rotatedTo.add(credentials);
      }

      @Override
      public void close() {
        closed.add(settings.accountSid());
      }
    };
  }

  static AccountSettings settings(String sid, String token, String version) {
    return new AccountSettings(
        new TwilioCredentials(sid, token, null, null), version, null, null, null, null);
  }

  @Test
  void withoutAccountRefOrDefaultAccountTheOperatorsOwnServes() {
    assertThat(directory.forResource("team", null)).isSameAs(environment);
  }

  @Test
  void withoutAccountRefTheNamespacesDefaultAccountServesOnceConnected() {
    AccountKey key = AccountKey.namespaced("team", "default");
    objects.put(key, new TwilioAccountSpec());

    assertThatThrownBy(() -> directory.forResource("team", null))
        .isInstanceOfSatisfying(
            AccountUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reasons.REFERENCE_NOT_READY);
              assertThat(e.waiting()).isTrue();
            });

    Account connected = directory.connect(key, settings(SID_A, "t1", "1")).account();
    assertThat(directory.forResource("team", null)).isSameAs(connected);
    assertThat(directory.forResource("other", null)).isSameAs(environment);
  }

  @Test
  void anAccountRefNamesOnlyItsOwnNamespacesTwilioAccount() {
    AccountKey theirs = AccountKey.namespaced("other-team", "billing");
    objects.put(theirs, new TwilioAccountSpec());
    directory.connect(theirs, settings(SID_A, "t1", "1"));

    assertThatThrownBy(() -> directory.forResource("team", new AccountReference(null, "billing")))
        .isInstanceOfSatisfying(
            AccountUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reasons.REFERENCE_NOT_READY);
              assertThat(e.getMessage()).contains("TwilioAccount team/billing");
            });
  }

  @Test
  void aClusterAccountServesOnlyNamespacesItsSelectorAdmits() {
    ClusterTwilioAccountSpec spec = new ClusterTwilioAccountSpec();
    spec.setNamespaceSelector(
        new LabelSelectorBuilder().withMatchLabels(Map.of("team", "voice")).build());
    AccountKey key = AccountKey.cluster("shared");
    objects.put(key, spec);
    Account shared = directory.connect(key, settings(SID_B, "t", "1")).account();
    namespaceLabels.put("voice-ns", Map.of("team", "voice"));
    namespaceLabels.put("web-ns", Map.of("team", "web"));
    AccountReference ref = new AccountReference(AccountKind.ClusterTwilioAccount, "shared");

    assertThat(directory.forResource("voice-ns", ref)).isSameAs(shared);
    assertThatThrownBy(() -> directory.forResource("web-ns", ref))
        .isInstanceOfSatisfying(
            AccountUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reasons.ACCOUNT_NOT_ALLOWED);
              assertThat(e.waiting()).isFalse();
              assertThat(e.getMessage()).contains("web-ns").contains("team=voice");
            });
  }

  @Test
  void aClusterAccountWithoutSelectorAdmitsNoNamespace() {
    AccountKey key = AccountKey.cluster("shared");
    objects.put(key, new ClusterTwilioAccountSpec());
    directory.connect(key, settings(SID_B, "t", "1"));

    assertThatThrownBy(
            () ->
                directory.forResource(
                    "any", new AccountReference(AccountKind.ClusterTwilioAccount, "shared")))
        .isInstanceOfSatisfying(
            AccountUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reasons.ACCOUNT_NOT_ALLOWED));
  }

  @Test
  void anUnusableAccountIsReportedAsInvalidCredentialsWithItsProblem() {
    AccountKey key = AccountKey.namespaced("team", "default");
    objects.put(key, new TwilioAccountSpec());
    directory.unusable(key, "Secret team/twilio not found");

    assertThatThrownBy(() -> directory.forResource("team", null))
        .isInstanceOfSatisfying(
            AccountUnavailableException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reasons.CREDENTIALS_INVALID);
              assertThat(e.getMessage()).contains("Secret team/twilio not found");
            });
  }

  @Test
  void rotatedCredentialsOfTheSameAccountAreUsedInPlace() {
    AccountKey key = AccountKey.namespaced("team", "default");
    objects.put(key, new TwilioAccountSpec());
    Account first = directory.connect(key, settings(SID_A, "t1", "1")).account();

    AccountDirectory.Connected again = directory.connect(key, settings(SID_A, "t1", "1"));
    AccountDirectory.Connected rotated = directory.connect(key, settings(SID_A, "t2", "2"));

    assertThat(again.credentialsChanged()).isFalse();
    assertThat(rotated.credentialsChanged()).isTrue();
    assertThat(rotated.account()).isSameAs(first);
    assertThat(made).hasSize(1);
    assertThat(rotatedTo).extracting(TwilioCredentials::authToken).containsExactly("t2");
    assertThat(directory.credentialsVersion(key)).contains("2");
  }

  @Test
  void anotherAccountSidOrLimitMakesANewConnectionAndClosesTheOld() {
    AccountKey key = AccountKey.namespaced("team", "default");
    objects.put(key, new TwilioAccountSpec());
    Account first = directory.connect(key, settings(SID_A, "t1", "1")).account();

    Account second = directory.connect(key, settings(SID_B, "t1", "2")).account();

    assertThat(second).isNotSameAs(first);
    assertThat(second.accountSid()).isEqualTo(SID_B);
    assertThat(closed).containsExactly(SID_A);
    assertThat(directory.all())
        .extracting(Account::accountSid)
        .containsExactlyInAnyOrder(environment.accountSid(), SID_B);
  }

  @Test
  void connectingAndDisconnectingTellTheResourcesAskingForTheAccount() {
    AccountKey key = AccountKey.namespaced("team", "default");
    objects.put(key, new TwilioAccountSpec());
    List<Account> told = new ArrayList<>();
    directory.addAccountListener(told::add);

    directory.connect(key, settings(SID_A, "t1", "1"));
    directory.disconnect(key);

    assertThat(told)
        .extracting(Account::accountSid)
        .containsExactly(environment.accountSid(), SID_A);
    assertThat(changes).containsExactly(Set.of(key.index()), Set.of(key.index()));
    assertThat(closed).containsExactly(SID_A);
    assertThat(directory.isConnected(key)).isFalse();
  }

  @Test
  void aResourceIsIndexedUnderTheAccountItAsksFor() {
    assertThat(AccountKey.requested("team", null).index()).isEqualTo("TwilioAccount/team/default");
    assertThat(AccountKey.requested("team", new AccountReference(null, "x")).index())
        .isEqualTo("TwilioAccount/team/x");
    assertThat(
            AccountKey.requested(
                    "team", new AccountReference(AccountKind.ClusterTwilioAccount, "x"))
                .index())
        .isEqualTo("ClusterTwilioAccount//x");
  }
}
