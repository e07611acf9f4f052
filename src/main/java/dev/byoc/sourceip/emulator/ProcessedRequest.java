package dev.byoc.sourceip.emulator;

/**
 * A Twilio-path request the emulator has just carried out, before its answer leaves (or its
 * connection is dropped by a reset-after fault): what a test hooks to act in that window.
 *
 * @param method the HTTP method
 * @param pathTemplate the route, e.g. {@code /v1/SourceIpMappings}
 * @param accountSid the authenticated account
 * @param status the status of the answer about to be sent
 * @param user the Basic-auth user the request authenticated as: the Account SID, or the SID of the
 *     API key, so that clients sharing an account can be told apart
 * @param receivedNanos {@link System#nanoTime()} when the request reached the emulator, before its
 *     latency and processing: a client that died since had sent it before that
 */
public record ProcessedRequest(
    String method,
    String pathTemplate,
    String accountSid,
    int status,
    String user,
    long receivedNanos) {

  /** Equal when all but the arrival time are (what a test compares). */
  public boolean sameAs(ProcessedRequest other) {
    return method.equals(other.method)
        && pathTemplate.equals(other.pathTemplate)
        && accountSid.equals(other.accountSid)
        && status == other.status
        && java.util.Objects.equals(user, other.user);
  }

  /** Called on the request's own thread; the answer waits until it returns. */
  @FunctionalInterface
  public interface Listener {
    void processed(ProcessedRequest request);
  }
}
