package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.BuildVersion;
import picocli.CommandLine;

/** Reports the version the build recorded. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"sourceip-operator " + BuildVersion.get()};
  }
}
