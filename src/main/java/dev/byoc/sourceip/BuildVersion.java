package dev.byoc.sourceip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version the build wrote into the classes, whether run from a jar or an image. */
public final class BuildVersion {
  private static final String VERSION = read();

  private BuildVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("/sourceip-version.properties")) {
      if (in == null) {
        return "development build";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "development build");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
