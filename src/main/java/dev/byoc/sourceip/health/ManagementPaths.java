package dev.byoc.sourceip.health;

/**
 * The management endpoint's paths, shared by the server and the tests that check the manifests'
 * probes.
 */
public final class ManagementPaths {
  public static final String HEALTHZ = "/healthz", READYZ = "/readyz", METRICS = "/metrics";
  public static final int DEFAULT_PORT = 8080;

  private ManagementPaths() {}
}
