package dev.byoc.sourceip.config;

/** A setting has a value the product cannot use; the message names the setting and the fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
