package dev.byoc.sourceip.secretscan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The build's last word on secrets: run by Maven in the verify phase after every test, it scans the
 * test logs, the processes' output and the test reports, and exits 1 when a known secret is in any.
 */
public final class SecretScan {
  private static final int MAX_SHOWN = 50;

  private SecretScan() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.stream(args).map(Path::of).toList(), System.out));
  }

  /**
   * Scans the roots and reports on {@code out}: 0 when clean, 1 on a finding or nothing to scan.
   */
  static int run(List<Path> roots, PrintStream out) {
    SecretScanner.Result result = SecretScanner.forKnownSecrets().scan(roots);
    if (result.files() == 0) {
      out.println("secret scan: no file to scan under " + roots + "; did the tests run?");
      return 1;
    }
    String scanned =
        result.files() + " files, " + result.lines() + " lines under " + roots.size() + " folders";
    if (result.findings().isEmpty()) {
      out.println("secret scan: no known secret in any form in " + scanned + ".");
      return 0;
    }
    out.println(
        "secret scan: FOUND known secrets on "
            + result.findings().size()
            + " lines of "
            + scanned
            + " (values redacted):");
    result.findings().stream().limit(MAX_SHOWN).forEach(f -> out.println("  " + f));
    if (result.findings().size() > MAX_SHOWN) {
      out.println("  … and " + (result.findings().size() - MAX_SHOWN) + " more lines");
    }
    return 1;
  }
}
