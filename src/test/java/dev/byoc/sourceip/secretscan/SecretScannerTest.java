package dev.byoc.sourceip.secretscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner finds a planted secret in each form, says where, and never prints the secret. */
class SecretScannerTest {
  @TempDir Path dir;

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsEachFormAndReportsFileAndLineWithTheValueRedacted() throws IOException {
    String basic = base64(KnownSecrets.ACCOUNT_SID + ":" + KnownSecrets.AUTH_TOKEN);
    String keyBasic = base64(KnownSecrets.API_KEY_SID + ":" + KnownSecrets.API_SECRET);
    String urlEncoded = URLEncoder.encode(KnownSecrets.WRONG_AUTH_TOKEN, StandardCharsets.UTF_8);
    String kubeBase64 = base64(KnownSecrets.KUBERNETES_TOKEN);
    Path logs = Files.createDirectories(dir.resolve("logs/nested"));
    Path planted =
        Files.write(
            logs.resolve("operator.log"),
            List.of(
                "12:00:00.000 INFO  started",
                "token is " + KnownSecrets.AUTH_TOKEN + " (oops)",
                "> Authorization: Basic " + basic,
                "a form body: Token=" + urlEncoded + "&x=1",
                "data: {TOKEN: " + kubeBase64 + "}",
                "> Authorization: Basic " + keyBasic,
                "12:00:01.000 INFO  done"));

    SecretScanner.Result result = SecretScanner.forKnownSecrets().scan(List.of(dir));

    assertThat(result.files()).isEqualTo(1);
    assertThat(result.lines()).isEqualTo(7);
    assertThat(result.findings())
        .extracting(SecretScanner.Finding::file, SecretScanner.Finding::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(planted, 2L),
            org.assertj.core.groups.Tuple.tuple(planted, 3L),
            org.assertj.core.groups.Tuple.tuple(planted, 4L),
            org.assertj.core.groups.Tuple.tuple(planted, 5L),
            org.assertj.core.groups.Tuple.tuple(planted, 6L));
    assertThat(result.findings())
        .extracting(f -> f.labels())
        .containsExactly(
            List.of("AUTH_TOKEN (raw)"),
            List.of("AUTH_TOKEN (Basic auth base64 of " + KnownSecrets.ACCOUNT_SID + ":…)"),
            List.of("WRONG_AUTH_TOKEN (URL-encoded)"),
            List.of("KUBERNETES_TOKEN (base64)"),
            List.of("API_SECRET (Basic auth base64 of " + KnownSecrets.API_KEY_SID + ":…)"));
    assertThat(result.findings().get(1).redacted())
        .startsWith(
            "> Authorization: Basic [AUTH_TOKEN (Basic auth base64 of "
                + KnownSecrets.ACCOUNT_SID
                + ":…)]");

    ByteArrayOutputStream report = new ByteArrayOutputStream();
    int exit = SecretScan.run(List.of(dir), new PrintStream(report, true, StandardCharsets.UTF_8));
    String printed = report.toString(StandardCharsets.UTF_8);

    assertThat(exit).isEqualTo(1);
    assertThat(printed)
        .contains("FOUND known secrets on 5 lines")
        .contains(planted + ":2: AUTH_TOKEN (raw)")
        .contains(planted + ":4: WRONG_AUTH_TOKEN (URL-encoded)");
    for (String secret : KnownSecrets.secrets().values()) {
      assertThat(printed).doesNotContain(secret).doesNotContain("SENTINEL");
    }
    assertThat(printed).doesNotContain(basic).doesNotContain(urlEncoded).doesNotContain(kubeBase64);
  }

  @Test
  void aLongLineIsShownAroundTheSecretOnly() {
    String line = "x".repeat(5000) + KnownSecrets.API_SECRET + "y".repeat(5000);

    SecretScanner.Finding finding =
        SecretScanner.forKnownSecrets().scanLine(Path.of("big.log"), 9, line);

    assertThat(finding.redacted()).contains("[API_SECRET (raw)]").hasSizeLessThan(200);
  }

  @Test
  void cleanFilesPassAndNothingToScanFails() throws IOException {
    Files.writeString(
        dir.resolve("clean.log"),
        "Authorization: Basic "
            + base64(KnownSecrets.ACCOUNT_SID + ":another-token")
            + "\n"
            + KnownSecrets.ACCOUNT_SID
            + " "
            + KnownSecrets.API_KEY_SID
            + "\n");
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);

    assertThat(SecretScan.run(List.of(dir), out)).isZero();
    assertThat(report.toString(StandardCharsets.UTF_8))
        .contains("no known secret in any form in 1 files, 2 lines");
    assertThat(SecretScan.run(List.of(dir.resolve("missing")), out)).isEqualTo(1);
  }
}
