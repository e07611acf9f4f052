package dev.byoc.sourceip.twilio;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Failures a fake client serves to its next calls, in order: each names the method it hits and
 * whether Twilio carried the call out before the answer went wrong (a lost answer).
 */
public final class FakeFaults {
  private record Fault(String method, RuntimeException error, boolean carriedOut) {}

  private final Deque<Fault> pending = new ArrayDeque<>();

  /** The next call of {@code method} fails with {@code error} and changes nothing. */
  public synchronized FakeFaults fail(String method, RuntimeException error) {
    pending.add(new Fault(method, error, false));
    return this;
  }

  /** The next call of {@code method} is carried out, then reported as {@code error}. */
  public synchronized FakeFaults loseAnswer(String method, RuntimeException error) {
    pending.add(new Fault(method, error, true));
    return this;
  }

  /** Runs {@code call} as {@code method}, unless a pending fault for it says otherwise. */
  public <T> T call(String method, java.util.function.Supplier<T> call) {
    Fault fault;
    synchronized (this) {
      fault = pending.stream().filter(f -> f.method.equals(method)).findFirst().orElse(null);
      if (fault != null) {
        pending.remove(fault);
      }
    }
    if (fault == null) {
      return call.get();
    }
    if (fault.carriedOut) {
      call.get();
    }
    throw fault.error;
  }

  /** Twilio's 404 for {@code path}. */
  public static TwilioApiException notFound(String method, String path) {
    return new TwilioApiException(404, 20404, "not found", null, method, path, null);
  }

  /** A 4xx Twilio answers for a request it will refuse again. */
  public static TwilioApiException rejected(String path) {
    return new TwilioApiException(400, 21201, "rejected by the fake", null, "POST", path, null);
  }

  /** A 503: try again later. */
  public static TwilioApiException unavailable(String path) {
    return new TwilioApiException(503, 20503, "unavailable", null, "POST", path, null);
  }

  /** A 401: the credentials are refused. */
  public static TwilioApiException unauthorized(String path) {
    return new TwilioApiException(401, 20003, "authenticate", null, "GET", path, null);
  }
}
