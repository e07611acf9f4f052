package dev.byoc.sourceip.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar manifest at build time. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"sourceip-operator " + (version == null ? "development build" : version)};
  }
}
