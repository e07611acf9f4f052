package dev.byoc.sourceip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No shipped code or manifest turns TLS verification off: the Twilio client keeps OkHttp's trust
 * and hostname checks (TlsVerificationIT shows them at work) and the Kubernetes client keeps the
 * kubeconfig's. This guard fails on the ways there are to switch them off.
 */
class TlsNeverDisabledTest {
  static final Pattern DISABLING =
      Pattern.compile(
          "\\.hostnameVerifier\\("
              + "|\\.sslSocketFactory\\("
              + "|X509(Extended)?TrustManager|TrustManagerFactory|TrustAll"
              + "|[Tt]rustCerts\\s*\\("
              + "|[Dd]isableHostnameVerification"
              + "|insecure-skip-tls-verify|insecureSkipTlsVerify"
              + "|HttpsURLConnection\\.setDefault");

  /** Every line of the text files under the roots that would disable a TLS check. */
  static List<String> violations(Path... roots) throws IOException {
    List<String> found = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            if (DISABLING.matcher(lines.get(i)).find()) {
              found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
          }
        }
      }
    }
    return found;
  }

  @Test
  void noShippedCodeOrManifestDisablesTlsVerification() throws IOException {
    assertThat(
            violations(
                Path.of("src/main/java"),
                Path.of("src/main/resources"),
                Path.of("deploy"),
                Path.of("helm")))
        .isEmpty();
  }

  @Test
  void theGuardFindsEachWayOfDisablingIt(@TempDir Path dir) throws IOException {
    Files.write(
        dir.resolve("Bad.java"),
        List.of(
            "new OkHttpClient.Builder().hostnameVerifier((host, session) -> true);",
            "builder.sslSocketFactory(trustAll.getSocketFactory(), trustAllManager);",
            "class TrustAll implements X509TrustManager {}",
            "new ConfigBuilder().withTrustCerts(true).build();",
            "config.setDisableHostnameVerification(true);",
            "HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);",
            "var fine = \"https://voice.twilio.com\";"));
    Files.writeString(dir.resolve("kubeconfig.yaml"), "    insecure-skip-tls-verify: true\n");

    assertThat(violations(dir)).hasSize(7).noneMatch(v -> v.contains("voice.twilio.com"));
  }
}
