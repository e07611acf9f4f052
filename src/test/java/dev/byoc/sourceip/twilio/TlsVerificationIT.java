package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS verification is never disabled: against an HTTPS server on loopback with a self-signed
 * certificate for "localhost", the Twilio client refuses an untrusted certificate and a certificate
 * for another host, and talks only once the certificate is both trusted and for the host it asked.
 */
class TlsVerificationIT {
  static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  static HttpsServer server;
  static SSLContext serverTls;
  static KeyStore keyStore;
  static final AtomicInteger served = new AtomicInteger();

  @BeforeAll
  static void startAnHttpsServerWithASelfSignedCertificate() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();

    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keys.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext(
        "/",
        exchange -> {
          served.incrementAndGet();
          byte[] body =
              "{\"source_ip_mappings\": [], \"meta\": {\"next_page_url\": null}}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static TwilioConfig config(String host) {
    return TwilioConfig.builder(
            KnownSecrets.ACCOUNT_SID,
            KnownSecrets.AUTH_TOKEN,
            "https://" + host + ":" + server.getAddress().getPort())
        .retries(0, Duration.ofMillis(1), Duration.ofMillis(1))
        .build();
  }

  /** An OkHttp client that trusts the server's self-signed certificate, and nothing else. */
  static OkHttpClient trustingTheServer() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", keyStore.getCertificate("server"));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return new OkHttpClient.Builder()
        .sslSocketFactory(tls.getSocketFactory(), (X509TrustManager) trust.getTrustManagers()[0])
        .build();
  }

  static HttpTwilioClient client(TwilioConfig config, OkHttpClient http) {
    return new HttpTwilioClient(
        config,
        http,
        new AccountLimiter(1, 100, Duration.ofSeconds(5)),
        TwilioRequestListener.NONE);
  }

  @Test
  void anUntrustedCertificateIsRefusedBeforeAnyRequest() {
    int before = served.get();

    Throwable refused =
        catchThrowable(() -> new HttpTwilioClient(config("localhost")).listSourceIpMappings());

    assertThat(refused)
        .isInstanceOf(TwilioTransportException.class)
        .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    assertThat(refused).hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(served.get()).as("requests the server answered").isEqualTo(before);
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    int before = served.get();

    Throwable refused =
        catchThrowable(
            () -> client(config("127.0.0.1"), trustingTheServer()).listSourceIpMappings());

    assertThat(refused)
        .isInstanceOf(TwilioTransportException.class)
        .hasCauseInstanceOf(SSLPeerUnverifiedException.class);
    assertThat(served.get()).isEqualTo(before);
  }

  @Test
  void aTrustedCertificateForTheHostAskedIsAccepted() throws Exception {
    int before = served.get();

    assertThat(client(config("localhost"), trustingTheServer()).listSourceIpMappings()).isEmpty();

    assertThat(served.get()).isEqualTo(before + 1);
  }
}
