package dev.byoc.sourceip.health;

/** The answer of a probe: whether it passes and, either way, a line that says why. */
public record Check(boolean ok, String detail) {
  public static Check ok(String detail) {
    return new Check(true, detail);
  }

  public static Check failing(String detail) {
    return new Check(false, detail);
  }
}
