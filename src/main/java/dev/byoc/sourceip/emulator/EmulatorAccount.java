package dev.byoc.sourceip.emulator;

/** An account the emulator accepts: its SID and auth token (HTTP Basic user and password). */
public record EmulatorAccount(String sid, String authToken) {

  @Override
  public String toString() {
    return "EmulatorAccount[sid=" + sid + ", authToken=***]";
  }
}
