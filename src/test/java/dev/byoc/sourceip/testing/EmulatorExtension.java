package dev.byoc.sourceip.testing;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Twilio emulator for a test class, built and stopped in one place: on a static
 * {@code @RegisterExtension} field it lives for the class, on an instance field for each test.
 */
public final class EmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final List<Consumer<TwilioEmulator.Builder>> settings = new ArrayList<>();
  private TwilioEmulator emulator;
  private boolean perTest;

  private EmulatorExtension() {}

  /** An emulator with no settings yet (without an account it generates one). */
  public static EmulatorExtension create() {
    return new EmulatorExtension();
  }

  /** An emulator with the tests' usual account: {@link KnownSecrets#ACCOUNT_SID} and token. */
  public static EmulatorExtension withKnownAccount() {
    return create().account(KnownSecrets.ACCOUNT_SID, KnownSecrets.AUTH_TOKEN);
  }

  public EmulatorExtension account(String accountSid, String authToken) {
    return with(b -> b.account(accountSid, authToken));
  }

  public EmulatorExtension apiKey(String accountSid, String keySid, String secret) {
    return with(b -> b.apiKey(accountSid, keySid, secret));
  }

  /** The first {@code count} replica API keys of {@link KnownSecrets} on its account. */
  public EmulatorExtension replicaKeys(int count) {
    for (int i = 0; i < count; i++) {
      apiKey(
          KnownSecrets.ACCOUNT_SID,
          KnownSecrets.REPLICA_KEY_SIDS.get(i),
          KnownSecrets.REPLICA_SECRETS.get(i));
    }
    return this;
  }

  public EmulatorExtension faults(FaultSettings faults) {
    return with(b -> b.faults(faults));
  }

  public EmulatorExtension allowDuplicateMappings(boolean allow) {
    return with(b -> b.allowDuplicateMappings(allow));
  }

  /** Any other builder setting. */
  public EmulatorExtension with(Consumer<TwilioEmulator.Builder> setting) {
    settings.add(setting);
    return this;
  }

  /** A started emulator with these settings, on a free port, that the caller closes. */
  public TwilioEmulator start() {
    TwilioEmulator.Builder builder = TwilioEmulator.builder().port(0);
    settings.forEach(s -> s.accept(builder));
    return builder.build().start();
  }

  /** The running emulator. */
  public TwilioEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("the emulator runs only while a test of its class does");
    }
    return emulator;
  }

  public String baseUrl() {
    return emulator().baseUrl();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    emulator = start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (emulator == null) {
      perTest = true;
      emulator = start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void stop() {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }
}
