package dev.byoc.sourceip.emulator;

/** An API key (SK...) with its secret, acting for one account. */
public record EmulatorApiKey(String accountSid, String keySid, String secret) {

  @Override
  public String toString() {
    return "EmulatorApiKey[accountSid=" + accountSid + ", keySid=" + keySid + ", secret=***]";
  }
}
