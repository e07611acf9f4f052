package dev.byoc.sourceip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reasons are part of the API: every Ready reason has a row in the README's troubleshooting table,
 * and every Event reason is named in that section; docs/status.md names the account reasons.
 */
class ReasonsDocumentedTest {
  private static String troubleshooting() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("## Troubleshooting by condition reason");
    assertThat(start).as("README has the troubleshooting section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void everyReadyReasonHasATroubleshootingRow() throws IOException {
    List<String> rows = troubleshooting().lines().filter(l -> l.startsWith("| `")).toList();
    for (String reason : Reasons.READY) {
      assertThat(rows).as(reason).anyMatch(l -> l.startsWith("| `" + reason + "` |"));
    }
  }

  @Test
  void everyEventReasonIsNamedWithTheTroubleshootingTable() throws IOException {
    String section = troubleshooting();
    for (String reason : EventReasons.ALL) {
      assertThat(section).as(reason).contains("`" + reason + "`");
    }
  }

  @Test
  void docsStatusNamesTheAccountReasons() throws IOException {
    String status = Files.readString(Path.of("docs", "status.md"));
    for (String reason :
        List.of(
            Reasons.AVAILABLE,
            Reasons.CREDENTIALS_INVALID,
            Reasons.INVALID_SPEC,
            Reasons.TWILIO_UNAVAILABLE,
            Reasons.TWILIO_REJECTED,
            Reasons.DELETING,
            Reasons.ACCOUNT_NOT_ALLOWED,
            Reasons.ACCOUNT_CHANGED,
            Reasons.REFERENCE_NOT_READY)) {
      assertThat(status).as(reason).contains("`" + reason + "`");
    }
  }
}
